/** Before any suite: rebuild `dist` when the sources changed since the last build (freshBuild.ts). */
import { ensureFreshBuild } from './freshBuild';
import { PACKAGE_ROOT } from './package';

export default function globalSetup(): void {
	ensureFreshBuild(PACKAGE_ROOT);
}
