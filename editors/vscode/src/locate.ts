// Where the dflint language server comes from. Kept free of the `vscode` module so that
// the order of the places searched is tested with Node's own test runner.

import * as path from "node:path";

/** How to start the server: a program, the arguments before `dflint.args`, and why. */
export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Where it was found, for the output channel ("the `dflint.path` setting", ...). */
  readonly source: string;
}

/** What the search may ask of the machine; the extension passes the real one. */
export interface Probe {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /** Whether `file` exists and is a file that can be run. */
  isExecutable(file: string): Promise<boolean>;
  /** Whether `python -m dflint` can import dflint's language server. */
  pythonHasDflint(python: string): Promise<boolean>;
}

export interface Search {
  /** The `dflint.path` setting, as written. */
  readonly setting: string;
  /** The workspace folders' paths, first folder first. */
  readonly folders: readonly string[];
  /** The Python extension's selected interpreter for the workspace, when it has one. */
  readonly interpreter: string | undefined;
}

export const INSTALL_COMMAND = "pip install 'dflint[lsp]'";

const LSP = ["lsp"] as const;

/** The names dflint's console script has on this platform. */
function scriptNames(platform: NodeJS.Platform): readonly string[] {
  return platform === "win32" ? ["dflint.exe", "dflint.cmd", "dflint"] : ["dflint"];
}

function pathModule(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** `~` and `${workspaceFolder}` expanded; a relative path taken from the first folder. */
export function expandSetting(
  setting: string,
  folders: readonly string[],
  home: string,
  platform: NodeJS.Platform,
): string {
  const p = pathModule(platform);
  const first = folders[0];
  let value = setting.trim();
  if (first !== undefined) {
    value = value.split("${workspaceFolder}").join(first);
  }
  if (value === "~" || value.startsWith("~/") || value.startsWith("~\\")) {
    value = p.join(home, value.slice(1));
  }
  if (!p.isAbsolute(value) && first !== undefined && /[\\/]/.test(value)) {
    value = p.resolve(first, value);
  }
  return value;
}

/** A virtual environment's scripts folder: `bin`, or `Scripts` on Windows. */
function scriptsFolder(environment: string, platform: NodeJS.Platform): string {
  return pathModule(platform).join(environment, platform === "win32" ? "Scripts" : "bin");
}

async function firstScript(folder: string, probe: Probe): Promise<string | undefined> {
  const p = pathModule(probe.platform);
  for (const name of scriptNames(probe.platform)) {
    const candidate = p.join(folder, name);
    if (await probe.isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

async function onPath(probe: Probe): Promise<string | undefined> {
  const p = pathModule(probe.platform);
  const variable = probe.platform === "win32" ? (probe.env.Path ?? probe.env.PATH) : probe.env.PATH;
  const separator = probe.platform === "win32" ? ";" : ":";
  for (const folder of (variable ?? "").split(separator)) {
    if (folder !== "" && p.isAbsolute(folder)) {
      const found = await firstScript(folder, probe);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}

/**
 * The server to start, searched in the order users expect: the `dflint.path` setting,
 * the workspace's `.venv` or `venv`, the Python extension's interpreter (its folder's
 * `dflint`, else `python -m dflint`), then `PATH`. Undefined when none has dflint.
 */
export async function locateServer(search: Search, probe: Probe): Promise<ServerCommand | undefined> {
  if (search.setting.trim() !== "") {
    // An explicit setting is used as given, even when missing: the start then fails
    // with the path in the message, which says more than silently using another dflint.
    const command = expandSetting(search.setting, search.folders, probe.home, probe.platform);
    return { command, args: LSP, source: "the `dflint.path` setting" };
  }
  const p = pathModule(probe.platform);
  for (const folder of search.folders) {
    for (const environment of [".venv", "venv"]) {
      const found = await firstScript(scriptsFolder(p.join(folder, environment), probe.platform), probe);
      if (found !== undefined) {
        return { command: found, args: LSP, source: `the workspace's \`${environment}\`` };
      }
    }
  }
  if (search.interpreter !== undefined && search.interpreter !== "") {
    const beside = await firstScript(p.dirname(search.interpreter), probe);
    if (beside !== undefined) {
      return { command: beside, args: LSP, source: "the Python extension's selected interpreter" };
    }
    if (await probe.pythonHasDflint(search.interpreter)) {
      return {
        command: search.interpreter,
        args: ["-m", "dflint", "lsp"],
        source: "the Python extension's selected interpreter (`python -m dflint`)",
      };
    }
  }
  const found = await onPath(probe);
  if (found !== undefined) {
    return { command: found, args: LSP, source: "`PATH`" };
  }
  return undefined;
}
