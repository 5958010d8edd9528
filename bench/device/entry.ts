/** What the device check runs: the gpu bench, bundled by prepare.sh so it runs without the project's node_modules. */
import { gpu } from '../gpu';

await gpu();
