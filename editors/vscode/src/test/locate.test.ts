// The order in which the extension looks for dflint, on a machine described by a table
// of files (no file system is touched).

import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { expandSetting, locateServer, type Probe, type Search, type ServerCommand } from "../locate";

function machine(
  executables: readonly string[],
  options: { platform?: NodeJS.Platform; path?: string; pythonsWithDflint?: readonly string[] } = {},
): Probe {
  const platform = options.platform ?? "linux";
  const pathVariable = options.path ?? "/usr/local/bin:/usr/bin";
  return {
    platform,
    env: platform === "win32" ? { Path: pathVariable } : { PATH: pathVariable },
    home: platform === "win32" ? "C:\\Users\\ada" : "/home/ada",
    isExecutable: (file) => Promise.resolve(executables.includes(file)),
    pythonHasDflint: (python) => Promise.resolve((options.pythonsWithDflint ?? []).includes(python)),
  };
}

/** The server found, failing the test when there is none. */
async function located(search: Search, probe: Probe): Promise<ServerCommand> {
  const found = await locateServer(search, probe);
  assert.ok(found, "no server was found");
  return found;
}

const workspace: Search = { setting: "", folders: ["/src/app", "/src/lib"], interpreter: undefined };

void describe("locateServer", () => {
  void it("uses the dflint.path setting first, even when the file is missing", async () => {
    const found = await located(
      { ...workspace, setting: "${workspaceFolder}/tools/dflint" },
      machine(["/src/app/.venv/bin/dflint"]),
    );
    assert.deepEqual(found, {
      command: "/src/app/tools/dflint",
      args: ["lsp"],
      source: "the `dflint.path` setting",
    });
  });

  void it("prefers the workspace's .venv to venv, the interpreter and PATH", async () => {
    const probe = machine(["/src/app/.venv/bin/dflint", "/src/app/venv/bin/dflint", "/usr/bin/dflint"]);
    const found = await located({ ...workspace, interpreter: "/opt/py/bin/python" }, probe);
    assert.equal(found.command, "/src/app/.venv/bin/dflint");
    assert.equal(found.source, "the workspace's `.venv`");
  });

  void it("looks in every workspace folder, venv too", async () => {
    const found = await located(workspace, machine(["/src/lib/venv/bin/dflint"]));
    assert.equal(found.command, "/src/lib/venv/bin/dflint");
    assert.equal(found.source, "the workspace's `venv`");
  });

  void it("takes dflint beside the selected interpreter", async () => {
    const found = await located(
      { ...workspace, interpreter: "/opt/py/bin/python" },
      machine(["/opt/py/bin/dflint", "/usr/bin/dflint"]),
    );
    assert.deepEqual(found, {
      command: "/opt/py/bin/dflint",
      args: ["lsp"],
      source: "the Python extension's selected interpreter",
    });
  });

  void it("runs `python -m dflint lsp` when the interpreter has dflint without its script", async () => {
    const found = await located(
      { ...workspace, interpreter: "/opt/py/bin/python" },
      machine(["/usr/bin/dflint"], { pythonsWithDflint: ["/opt/py/bin/python"] }),
    );
    assert.equal(found.command, "/opt/py/bin/python");
    assert.deepEqual(found.args, ["-m", "dflint", "lsp"]);
  });

  void it("falls back to PATH, in its order, skipping relative entries", async () => {
    const found = await located(
      { ...workspace, interpreter: "/opt/py/bin/python" },
      machine(["bin/dflint", "/usr/bin/dflint", "/opt/other/dflint"], { path: "bin:/usr/bin:/opt/other" }),
    );
    assert.equal(found.command, "/usr/bin/dflint");
    assert.equal(found.source, "`PATH`");
  });

  void it("finds nothing when no place has dflint", async () => {
    assert.equal(await locateServer(workspace, machine([])), undefined);
  });

  void it("uses Scripts\\dflint.exe and Path on Windows", async () => {
    const windows: Search = { setting: "", folders: ["C:\\src\\app"], interpreter: undefined };
    const inVenv = await located(windows, machine(["C:\\src\\app\\.venv\\Scripts\\dflint.exe"], { platform: "win32" }));
    assert.equal(inVenv.command, "C:\\src\\app\\.venv\\Scripts\\dflint.exe");
    const onPath = await located(
      windows,
      machine(["C:\\Python312\\Scripts\\dflint.exe"], { platform: "win32", path: "C:\\Windows;C:\\Python312\\Scripts" }),
    );
    assert.equal(onPath.command, "C:\\Python312\\Scripts\\dflint.exe");
  });
});

void describe("expandSetting", () => {
  void it("expands ~ and takes relative paths from the first folder", () => {
    assert.equal(expandSetting("~/bin/dflint", ["/src/app"], "/home/ada", "linux"), "/home/ada/bin/dflint");
    assert.equal(expandSetting("tools/dflint", ["/src/app"], "/home/ada", "linux"), "/src/app/tools/dflint");
  });

  void it("leaves a bare program name to be found on PATH", () => {
    assert.equal(expandSetting("dflint", ["/src/app"], "/home/ada", "linux"), "dflint");
  });
});
