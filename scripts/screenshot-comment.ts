// Takes the README's picture of the pull request comment: the HTML `npm run demo` writes, in headless
// Chromium (Debian's, as scripts/ensure-system-deps.sh installs it), cropped to the comment. The
// verdict and risk icons are emoji: Debian's fonts-noto-color-emoji draws them.
//
//   npm run demo && node --import tsx scripts/screenshot-comment.ts [.clickplan/demo/pr-comment.html] [docs/images/pr-comment.png]

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const html = resolve(process.argv[2] ?? '.clickplan/demo/pr-comment.html');
const png = resolve(process.argv[3] ?? 'docs/images/pr-comment.png');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(html).href);
  // The plan SQL open, as a reviewer clicking through would; the diagram closed (GitHub draws its
  // Mermaid source, which this page only shows as text) and the override help too.
  await page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = details.querySelector('summary')?.textContent === 'Plan SQL';
  });
  await page.locator('.comment').screenshot({ path: png });
  process.stdout.write(`${png}\n`);
} finally {
  await browser.close();
}
