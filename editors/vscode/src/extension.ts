// The dflint extension: starts `dflint lsp` for Dockerfiles and restarts it when its
// settings change. Everything a user sees (diagnostics, quick fixes, fix-all) comes from
// the language server; this file only finds it, starts it and reports what happened.

import { constants as fsConstants, promises as fs } from "node:fs";
import { execFile } from "node:child_process";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  LanguageClient,
  RevealOutputChannelOn,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { INSTALL_COMMAND, locateServer, type Probe, type ServerCommand } from "./locate";
import { onInterpreterChange, selectedInterpreter } from "./python";

const SECTION = "dflint";
// The documents the server lints: VS Code's `dockerfile` language, and names the server
// recognises as Dockerfiles whatever language they were opened as (the server itself
// leaves alone the other files these patterns match, such as `Dockerfile.md`).
const DOCUMENTS: DocumentSelector = [
  { scheme: "file", language: "dockerfile" },
  { scheme: "untitled", language: "dockerfile" },
  {
    scheme: "file",
    pattern: "**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*,Dockerfile-*,Containerfile-*,*.Dockerfile,*.Containerfile,*.dockerfile,*.containerfile}",
  },
];

let output: vscode.LogOutputChannel;
let client: LanguageClient | undefined;
let toldNotFound = false;
// Starts and stops one after another: a settings change during a start waits for it.
let queue: Promise<void> = Promise.resolve();

function log(message: string): void {
  output.info(message);
}

const probe: Probe = {
  platform: process.platform,
  env: process.env,
  home: os.homedir(),
  async isExecutable(file: string): Promise<boolean> {
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) {
        return false;
      }
      if (process.platform !== "win32") {
        await fs.access(file, fsConstants.X_OK);
      }
      return true;
    } catch {
      return false;
    }
  },
  pythonHasDflint(python: string): Promise<boolean> {
    const check = "import importlib.util, sys; sys.exit(importlib.util.find_spec('dflint.lsp') is None)";
    return new Promise((resolve) => {
      execFile(python, ["-c", check], { timeout: 15000 }, (error) => {
        resolve(error === null);
      });
    });
  },
};

async function findServer(): Promise<ServerCommand | undefined> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const first = vscode.workspace.workspaceFolders?.[0]?.uri;
  return locateServer(
    {
      setting: config.get<string>("path", ""),
      folders,
      interpreter: await selectedInterpreter(first),
    },
    probe,
  );
}

function notFound(): void {
  log(`dflint was not found; install it with \`${INSTALL_COMMAND}\` or set \`dflint.path\``);
  if (toldNotFound) {
    return;
  }
  toldNotFound = true;
  const copy = "Copy install command";
  const settings = "Open settings";
  void vscode.window
    .showWarningMessage(
      `dflint was not found in the workspace's virtual environment, the selected Python interpreter or PATH. Install it with \`${INSTALL_COMMAND}\`, or set \`dflint.path\`.`,
      copy,
      settings,
    )
    .then(async (choice) => {
      if (choice === copy) {
        await vscode.env.clipboard.writeText(INSTALL_COMMAND);
      } else if (choice === settings) {
        await vscode.commands.executeCommand("workbench.action.openSettings", "dflint.path");
      }
    });
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (!config.get<boolean>("enable", true)) {
    log("dflint is disabled (`dflint.enable` is false)");
    return;
  }
  const server = await findServer();
  if (server === undefined) {
    notFound();
    return;
  }
  const args = [...server.args, ...config.get<string[]>("args", [])];
  log(`starting ${server.command} ${args.join(" ")} (found through ${server.source})`);
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const serverOptions: ServerOptions = {
    command: server.command,
    args,
    options: cwd === undefined ? {} : { cwd },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS,
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  const created = new LanguageClient(SECTION, "dflint", serverOptions, clientOptions);
  client = created;
  try {
    await created.start();
    const info = created.initializeResult?.serverInfo;
    log(`started ${info?.name ?? "dflint"} ${info?.version ?? ""}`.trimEnd());
  } catch (error) {
    client = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    log(`the language server did not start: ${reason}`);
    await created.dispose().catch(() => undefined);
    const show = "Show output";
    const choice = await vscode.window.showErrorMessage(
      `dflint: the language server (${server.command}) did not start: ${reason}. Check that it is dflint with the \`lsp\` extra (\`${INSTALL_COMMAND}\`).`,
      show,
    );
    if (choice === show) {
      output.show(true);
    }
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    log("stopping the language server");
    await running.stop().catch((error: unknown) => {
      log(`stopping failed: ${String(error)}`);
    });
  }
}

function restart(): Promise<void> {
  queue = queue.then(stop).then(start);
  return queue;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("dflint", { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("dflint.restart", () => {
      toldNotFound = false; // asked for: say it again if dflint is still missing
      return restart();
    }),
    vscode.commands.registerCommand("dflint.showOutput", () => {
      output.show();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const relevant = ["enable", "path", "args"].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
      if (relevant) {
        void restart();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (vscode.workspace.getConfiguration(SECTION).get<string>("path", "") === "") {
        void restart(); // another folder may bring its own .venv
      }
    }),
  );
  const interpreterChanged = await onInterpreterChange(() => {
    if (vscode.workspace.getConfiguration(SECTION).get<string>("path", "") === "") {
      void restart();
    }
  });
  if (interpreterChanged !== undefined) {
    context.subscriptions.push(interpreterChanged);
  }
  await restart();
}

export function deactivate(): Promise<void> {
  return stop();
}
