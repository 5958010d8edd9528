/**
 * `trainyard models ...` and `trainyard predict`: the model registry from the command line.
 * Each part registers its own subcommands: versions, aliases and the gate (models-registry.ts),
 * predict and evaluate (predict.ts), export, push and pull (publish.ts).
 */
import type { Command } from 'commander';
import { registerRegistryCommands } from './models-registry';
import { registerEvaluateCommand } from './predict';
import { registerPublishCommands } from './publish';

export function registerModelCommands(program: Command): void {
  const models = program.command('models').description('registered models: versions, aliases, the validation gate, predict and publishing');
  registerRegistryCommands(models);
  registerEvaluateCommand(models);
  registerPublishCommands(models);
}
