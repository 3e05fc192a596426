// The Python extension's selected interpreter, when that extension is installed. Only the
// few members of its public API used here are declared; anything missing means "none".

import * as vscode from "vscode";

const PYTHON_EXTENSION = "ms-python.python";

interface EnvironmentPath {
  readonly path: string;
}

interface ResolvedEnvironment {
  readonly executable: { readonly uri?: vscode.Uri | undefined };
}

interface Environments {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
  readonly onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
}

interface PythonApi {
  readonly environments?: Environments;
}

async function environments(): Promise<Environments | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION);
  if (extension === undefined) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    return api.environments;
  } catch {
    return undefined; // a broken or old Python extension: search elsewhere
  }
}

/** The interpreter selected for `folder` (the python executable), if any. */
export async function selectedInterpreter(folder: vscode.Uri | undefined): Promise<string | undefined> {
  const envs = await environments();
  if (envs === undefined) {
    return undefined;
  }
  try {
    const active = envs.getActiveEnvironmentPath(folder);
    const resolved = await envs.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

/** Calls `listener` when the user selects another interpreter. */
export async function onInterpreterChange(listener: () => void): Promise<vscode.Disposable | undefined> {
  const envs = await environments();
  return envs?.onDidChangeActiveEnvironmentPath?.(listener);
}
