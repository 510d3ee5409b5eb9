/** Child process for render.test.ts: unified output with the colour decided by the environment. */
import { diffText, render } from '../../src/diff/index.js';

process.stdout.write(render(diffText('We agreed on 12,300.', 'We agreed on 14,000.'), 'unified'));
