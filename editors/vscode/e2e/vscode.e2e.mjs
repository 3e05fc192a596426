// End-to-end test of the extension in a real VS Code: code-server serves a workspace with
// the packaged extension installed, headless Chromium drives it through playwright-core.
//
// tests/test_vscode_e2e.py prepares the workspace (a Dockerfile with known problems, a
// `.venv/bin/dflint`, fix-all on save in `.vscode/settings.json`) and runs this script:
//
//   node e2e/vscode.e2e.mjs   with DFLINT_E2E_CODE_SERVER  code-server's launcher (a JS file)
//                                  DFLINT_E2E_NODE         the Node that runs code-server
//                                  DFLINT_E2E_VSIX         the packaged extension
//                                  DFLINT_E2E_WORKSPACE    the folder to open
//                                  DFLINT_E2E_EXPECTED     the Dockerfile expected after saving
//                                  DFLINT_E2E_SHOTS        where the screenshots go
//                                  DFLINT_E2E_CHROMIUM     Chromium (default /usr/bin/chromium)
//
// It prints one line per step and exits non-zero on the first failure, after a screenshot
// of what the page showed then.

import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name} (see the header of e2e/vscode.e2e.mjs)`);
  }
  return value;
}

const codeServer = required("DFLINT_E2E_CODE_SERVER");
const node = required("DFLINT_E2E_NODE");
const vsix = required("DFLINT_E2E_VSIX");
const workspace = required("DFLINT_E2E_WORKSPACE");
const expected = readFileSync(required("DFLINT_E2E_EXPECTED"), "utf8");
const shots = required("DFLINT_E2E_SHOTS");
const chromiumPath = process.env.DFLINT_E2E_CHROMIUM || "/usr/bin/chromium";
const dockerfile = join(workspace, "Dockerfile");
const STEP_TIMEOUT = 60_000;

const scratch = mkdtempSync(join(tmpdir(), "dflint-vscode-e2e-"));
const userData = join(scratch, "user-data");
const extensions = join(scratch, "extensions");
const profile = join(scratch, "chromium");
mkdirSync(join(userData, "User"), { recursive: true });
mkdirSync(shots, { recursive: true });

function step(message) {
  console.log(`e2e: ${message}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(what, check, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Its own (empty) configuration file: code-server would otherwise make one in ~/.config.
const config = join(scratch, "code-server.yaml");
writeFileSync(config, "");
const codeServerArgs = ["--config", config, "--user-data-dir", userData, "--extensions-dir", extensions];

step(`installing ${vsix}`);
const install = spawnSync(node, [codeServer, ...codeServerArgs, "--install-extension", vsix], {
  encoding: "utf8",
  timeout: 120_000,
});
if (install.status !== 0) {
  throw new Error(`code-server --install-extension failed:\n${install.stdout}\n${install.stderr}`);
}

// A quiet window: no welcome page, tips or trust prompt in the screenshots.
writeFileSync(
  join(userData, "User", "settings.json"),
  JSON.stringify({
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.colorTheme": "Default Light Modern",
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "chat.disableAIFeatures": true,
    "window.zoomLevel": 0,
    // VS Code for the web (code-server) saves a second after an edit by default, and an
    // automatic save runs no `"explicit"` code action: the test saves by hand, as the
    // desktop's default does.
    "files.autoSave": "off",
    // DFLINT_E2E_TRACE=1: the server's debug log (each message) in the log printed on a failure.
    ...(process.env.DFLINT_E2E_TRACE === "1" ? { "dflint.args": ["--log-level", "debug"] } : {}),
  }),
);

const port = await freePort();
step(`starting code-server on 127.0.0.1:${port}`);
const server = spawn(
  node,
  [
    codeServer,
    ...codeServerArgs,
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--auth",
    "none",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    workspace,
  ],
  {
    stdio: ["ignore", "pipe", "pipe"],
    // No dflint on code-server's PATH: the extension must find the workspace's .venv, and
    // once that is gone, nothing.
    env: {
      ...process.env,
      PATH: (process.env.PATH ?? "")
        .split(":")
        .filter((dir) => dir !== "" && !existsSync(join(dir, "dflint")))
        .join(":"),
    },
  },
);
let serverLog = "";
server.stdout.on("data", (chunk) => (serverLog += chunk));
server.stderr.on("data", (chunk) => (serverLog += chunk));

let browser;
let page;
let shot = 0;

async function screenshot(name) {
  shot += 1;
  const file = join(shots, `${String(shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
  step(`screenshot ${file}`);
}

/** The editor's text as shown (Monaco renders spaces as no-break spaces). */
async function editorText() {
  const lines = await page.locator(".editor-instance .view-lines .view-line").evaluateAll((nodes) =>
    nodes
      .map((n) => ({ top: parseFloat(n.style.top), text: n.textContent.replace(/\u00a0/g, " ") }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return lines.join("\n");
}

async function command(title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor();
  await page.keyboard.press("Enter");
}

async function problemRows() {
  return page.locator(".markers-panel .monaco-list-row").evaluateAll((rows) =>
    rows.map((row) => ({
      text: row.textContent.replace(/\u00a0/g, " "),
      links: Array.from(row.querySelectorAll("a")).map((a) => ({
        text: a.textContent,
        href: a.getAttribute("href") || a.title || "",
      })),
    })),
  );
}

let failed = false;
try {
  await until("code-server to listen", async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return response.ok;
    } catch {
      return false;
    }
  });

  step("starting headless Chromium");
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor();

  step("opening the Dockerfile");
  const entry = page.locator(".explorer-folders-view .monaco-list-row", { hasText: /^Dockerfile$/ });
  await entry.first().click();
  await page.locator(".editor-instance .view-lines").waitFor();
  await until("the Dockerfile in the editor", async () => (await editorText()).includes("MAINTAINER"));

  step("waiting for dflint's diagnostics in the Problems view");
  await page.keyboard.press("Control+Shift+M");
  const rows = await until("dflint's problems", async () => {
    const found = await problemRows();
    // DF132's casing findings are hints: VS Code shows them in the editor, not here.
    return found.some((r) => r.text.includes("DF101")) && found.some((r) => r.text.includes("DF501"))
      ? found
      : false;
  });
  for (const row of rows.filter((r) => /DF\d{3}/.test(r.text))) {
    step(`problem: ${row.text}`);
  }
  const linked = rows.flatMap((r) => r.links.filter((l) => /^DF\d{3}$/.test(l.text.trim()) && l.href.startsWith("http")));
  if (linked.length === 0) {
    throw new Error("no problem shows its rule code as a link");
  }
  step(`codes shown as links: ${linked.map((l) => `${l.text} -> ${l.href}`).join(", ")}`);
  await screenshot("problems");

  step("applying the quick fix for DF101 (MAINTAINER)");
  // The caret inside the finding's range, then the Quick Fix key.
  // On a busy machine the key can come before the editor knows the line's code actions
  // (an empty menu): ask again, up to three times, before failing.
  const menu = page.locator(".action-widget");
  const fix = menu.locator(".monaco-list-row", { hasText: "Replace with" }).first();
  for (let attempt = 1; ; attempt++) {
    await page.locator(".editor-instance .view-line", { hasText: "MAINTAINER" }).click({ position: { x: 30, y: 5 } });
    await page.keyboard.press("Control+.");
    try {
      await fix.waitFor({ timeout: STEP_TIMEOUT / 3 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      step(`no quick-fix menu yet (attempt ${attempt}); asking again`);
      await page.keyboard.press("Escape");
    }
  }
  await screenshot("quick-fix-menu");
  await fix.click();
  await until("the quick fix in the editor", async () => {
    const text = await editorText();
    return text.includes("LABEL org.opencontainers.image.authors") && !text.includes("MAINTAINER");
  });
  if (readFileSync(dockerfile, "utf8").includes("LABEL")) {
    throw new Error("the quick fix reached the disk before the file was saved");
  }
  // The server has linted the edited text (DF101 is gone) before the save asks it for
  // the fix-all action: on a busy machine the save could otherwise race the edit's lint.
  await until("the diagnostics of the edited text", async () => {
    const found = await problemRows();
    return found.some((r) => r.text.includes("DF501")) && !found.some((r) => r.text.includes("DF101"));
  });
  await screenshot("quick-fix-applied");

  step("saving: fix-all on save, then the file on disk");
  await page.locator(".editor-instance .view-line", { hasText: "LABEL" }).click({ position: { x: 30, y: 5 } });
  await page.keyboard.press("Control+S");
  await until("the fixed Dockerfile on disk", () => readFileSync(dockerfile, "utf8") === expected).catch(
    (error) => {
      throw new Error(`${error.message}; the file reads:\n${readFileSync(dockerfile, "utf8")}`);
    },
  );
  await until("the fixes in the editor", async () => (await editorText()).trimEnd() === expected.trimEnd());
  await page.keyboard.press("Control+Shift+M");
  await screenshot("saved");

  step("showing the dflint output channel");
  await command("dflint: Show the language server's log");
  await until("the dflint log", async () =>
    (await page.locator(".output-view, .panel .monaco-editor .view-lines").allTextContents())
      .join("")
      .replace(/\u00a0/g, " ")
      .includes("found through"),
  );
  await screenshot("output-channel");

  step("without dflint: restarting says once how to install it");
  renameSync(join(workspace, ".venv"), join(workspace, ".venv-moved"));
  await command("dflint: Restart the language server");
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "dflint was not found" });
  await toast.waitFor();
  const message = (await toast.first().textContent()) ?? "";
  if (!message.includes("pip install 'dflint[lsp]'")) {
    throw new Error(`the message gives no install command: ${message}`);
  }
  await screenshot("not-found");
  renameSync(join(workspace, ".venv-moved"), join(workspace, ".venv"));
  step("passed");
} catch (error) {
  failed = true;
  console.error(`e2e: FAILED: ${error instanceof Error ? error.stack : String(error)}`);
  if (page) {
    await page.screenshot({ path: join(shots, "failure.png") }).catch(() => undefined);
    console.error(`e2e: screenshot of the failure in ${join(shots, "failure.png")}`);
  }
  // The extension's and the server's log (the output channel's file), for the reason.
  const logs = join(userData, "logs");
  for (const file of existsSync(logs) ? readdirSync(logs, { recursive: true, encoding: "utf8" }) : []) {
    if (file.includes("dflint") && file.endsWith(".log")) {
      console.error(`e2e: ${file}:\n${readFileSync(join(logs, file), "utf8")}`);
    }
  }
  console.error(`e2e: code-server's log:\n${serverLog}`);
} finally {
  await browser?.close().catch(() => undefined);
  server.kill();
  await new Promise((resolve) => (server.exitCode === null ? server.once("exit", resolve) : resolve()));
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
