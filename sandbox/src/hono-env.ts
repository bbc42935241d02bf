import type { Account } from "./accounts";
import type { SandboxBindings } from "./types";

export interface SandboxEnv {
  Bindings: SandboxBindings;
  Variables: { account: Account };
}
