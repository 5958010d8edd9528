/**
 * `trainyard`: the command-line face. Every command takes --data-dir (default ~/.trainyard or
 * TRAINYARD_DATA_DIR); listing commands take --json. A failure prints one line and exits non-zero.
 */
import { Command, Option } from 'commander';
import { defaultDataDir } from '../core/paths';
import { VERSION } from '../core/version';
import { describeError } from '../shared/errors';
import { registerClusterCommands } from './commands/clusters';
import { registerCommandRunCommands } from './commands/command-run';
import { registerDatasetCommands } from './commands/datasets';
import { registerDemoCommand } from './commands/demo';
import { registerJobCommands } from './commands/jobs';
import { registerLogsCommand } from './commands/logs';
import { registerModelCommands } from './commands/models';
import { registerMonitorCommand } from './commands/monitor';
import { registerPredictCommand } from './commands/predict';
import { registerQueueCommands } from './commands/queue';
import { registerRunCommands } from './commands/runs';
import { registerServeCommands } from './commands/serve';
import { registerStudyCommands } from './commands/study';

const program = new Command('trainyard')
  .description('Trainyard: train, track and compare models on your own machine')
  .version(VERSION)
  .addOption(new Option('--data-dir <dir>', 'data directory').default(defaultDataDir(), '~/.trainyard or $TRAINYARD_DATA_DIR'))
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(str) });

registerServeCommands(program);
registerDemoCommand(program);
registerDatasetCommands(program);
registerJobCommands(program);
registerCommandRunCommands(program);
registerQueueCommands(program);
registerRunCommands(program);
registerStudyCommands(program);
registerModelCommands(program);
registerPredictCommand(program);
registerLogsCommand(program);
registerMonitorCommand(program);
registerClusterCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`trainyard: ${describeError(err)}\n`);
  process.exit(1);
});
