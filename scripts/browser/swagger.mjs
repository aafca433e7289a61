// Swagger UI in a real browser: what a developer exploring the API does, step by step, in
// headless Chromium driven by playwright-core (which downloads no browser: Debian's chromium is
// launched by path). Run by scripts/browser.sh, which starts the service and sets:
//
//   BROWSER_BASE_URL   the running service, e.g. http://127.0.0.1:40123
//   BROWSER_OUT        where screenshots go (target/browser)
//   BROWSER_MODULES    the folder whose node_modules holds the pinned playwright-core
//   BROWSER_CHROMIUM   the Chromium executable
//   BROWSER_USERNAME, BROWSER_PASSWORD   the demo district administrator's login
//
// Every step waits for what it needs with Playwright's auto-waiting and a deadline, never a
// fixed sleep; a failing step saves a screenshot named after it and exits non-zero with a message
// saying which step failed and why. See docs/BROWSER.md.

import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) fail('setup', `${name} is not set (run scripts/browser.sh)`);
  return value;
};

function fail(step, message) {
  console.error(`FAIL: browser test, step "${step}": ${message}`);
  process.exit(1);
}

const BASE = env('BROWSER_BASE_URL').replace(/\/$/, '');
const OUT = env('BROWSER_OUT');
const MODULES = env('BROWSER_MODULES');
const CHROMIUM = env('BROWSER_CHROMIUM');
const USERNAME = env('BROWSER_USERNAME');
const PASSWORD = env('BROWSER_PASSWORD');
// Generous: the debug build on a shared 2-core machine renders 160 operations slowly.
const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS || 30000);

const require = createRequire(path.resolve(MODULES, 'package.json'));
const { chromium } = require('playwright-core');
mkdirSync(OUT, { recursive: true });

/** Every tag of the document: those it declares, and any an operation uses. */
async function documentTags() {
  const response = await fetch(`${BASE}/api-docs/openapi.json`);
  if (!response.ok) throw new Error(`GET /api-docs/openapi.json answered ${response.status}`);
  const doc = await response.json();
  const operations = new Map();
  const tags = (doc.tags || []).map((t) => t.name);
  for (const item of Object.values(doc.paths || {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
      for (const tag of item[method]?.tags || []) {
        if (!tags.includes(tag)) tags.push(tag);
        operations.set(tag, (operations.get(tag) || 0) + 1);
      }
    }
  }
  if (tags.length === 0) throw new Error('the document has no tags');
  return tags.map((name) => ({ name, operations: operations.get(name) || 0 }));
}

let page;
let stepNumber = 0;

/** Runs one step; on failure saves `failed-<n>-<step>.png` and exits with the step's name. */
async function step(name, action) {
  stepNumber += 1;
  const started = Date.now();
  try {
    const result = await action();
    console.log(`ok ${stepNumber} - ${name} (${Date.now() - started} ms)`);
    return result;
  } catch (error) {
    if (page) {
      const shot = path.join(OUT, `failed-${stepNumber}-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page.screenshot({ path: shot, fullPage: false }).catch(() => {});
      console.error(`(screenshot of the page as it was: ${shot})`);
    }
    fail(name, error?.message?.split('\n').slice(0, 6).join('\n') || String(error));
  }
}

/** The operation block `#operations-<tag>-<operationId>`, expanded, with "Try it out" pressed. */
async function tryItOut(tag, operationId) {
  const op = page.locator(`#operations-${tag}-${operationId}`);
  await op.waitFor({ state: 'visible' });
  if (!(await op.evaluate((el) => el.classList.contains('is-open')))) {
    await op.locator('.opblock-summary').first().click();
  }
  await op.locator('button.try-out__btn', { hasText: 'Try it out' }).click();
  await op.locator('button.execute').waitFor({ state: 'visible' });
  return op;
}

/** Presses Execute and answers the rendered live response: its status and its body's text. */
async function execute(op) {
  await op.locator('button.execute').click();
  const status = op.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor({ state: 'visible' });
  const code = (await status.innerText()).trim();
  const body = op.locator('.live-responses-table tbody .response-col_description pre').first();
  await body.waitFor({ state: 'visible' });
  return { code, body: await body.innerText() };
}

function parseBody(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`the rendered ${what} body is not JSON: ${text.slice(0, 200)}`);
  }
}

const browser = await step('launch Chromium', () =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: TIMEOUT_MS }),
);
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const tags = await step('read the tags of /api-docs/openapi.json', documentTags);

  await step('open /swagger-ui/', async () => {
    const response = await page.goto(`${BASE}/swagger-ui/`);
    if (!response || response.status() !== 200) throw new Error(`answered ${response?.status()}`);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Jiaoyan' }).waitFor();
    // The description opens with the guide, in both languages.
    await page.locator('.swagger-ui .info .description').getByText('Guide · 使用指南').waitFor();
    await page.screenshot({ path: path.join(OUT, '01-swagger-ui.png') });
  });

  await step(`every tag renders as a section (${tags.length} tags)`, async () => {
    const missing = [];
    const short = [];
    for (const { name, operations } of tags) {
      const section = page.locator('.opblock-tag-section').filter({
        has: page.locator(`h3.opblock-tag[data-tag=${JSON.stringify(name)}]`),
      });
      if ((await section.count()) !== 1) {
        missing.push(name);
        continue;
      }
      const rendered = await section.locator('.opblock').count();
      if (rendered !== operations) short.push(`${name} (${rendered} of ${operations} operations)`);
    }
    if (missing.length) throw new Error(`no section for the tags: ${missing.join(', ')}`);
    if (short.length) throw new Error(`sections without all their operations: ${short.join('; ')}`);
  });

  const token = await step('log in through POST /api/v1/auth/login (Try it out, Execute)', async () => {
    const op = await tryItOut('auth', 'login');
    await op.locator('textarea.body-param__text').fill(JSON.stringify({ username: USERNAME, password: PASSWORD }));
    const { code, body } = await execute(op);
    await op.screenshot({ path: path.join(OUT, '02-login.png') });
    if (code !== '200') throw new Error(`the rendered status is ${code}, not 200: ${body.slice(0, 300)}`);
    const accessToken = parseBody(body, 'login').access_token;
    if (typeof accessToken !== 'string' || accessToken.split('.').length !== 3) {
      throw new Error(`no access_token (a JWT) in the rendered response: ${body.slice(0, 300)}`);
    }
    return accessToken;
  });

  await step('authorize with the token in the "Authorize" dialog', async () => {
    await page.locator('.scheme-container button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor({ state: 'visible' });
    // One container per security scheme, each with its own form and buttons.
    const bearer = dialog.locator('.auth-container').filter({
      has: page.locator('h4', { hasText: /^\s*bearer\b/ }),
    });
    await bearer.locator('input').fill(token);
    await bearer.locator('button.authorize').click();
    // Authorized: the scheme now offers "Logout" instead of "Authorize".
    await bearer.locator('button', { hasText: 'Logout' }).waitFor();
    await dialog.screenshot({ path: path.join(OUT, '03-authorized.png') });
    await bearer.locator('button.btn-done', { hasText: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('list teachers through GET /api/v1/teachers (Try it out, Execute): 200', async () => {
    const op = await tryItOut('teachers', 'list_teachers');
    await op.locator('tr[data-param-name="limit"] input').fill('5');
    const { code, body } = await execute(op);
    await op.screenshot({ path: path.join(OUT, '04-teachers.png') });
    if (code !== '200') throw new Error(`the rendered status is ${code}, not 200: ${body.slice(0, 300)}`);
    const list = parseBody(body, 'teachers');
    if (!Array.isArray(list.items) || list.items.length === 0 || !(list.total > 0)) {
      throw new Error(`the demo district's teachers are missing from the rendered list: ${body.slice(0, 300)}`);
    }
    const curl = await op.locator('.curl-command').innerText();
    if (!/authorization: Bearer /i.test(curl)) {
      throw new Error(`the request did not carry the token from "Authorize": ${curl}`);
    }
  });

  await step('no script errors in the page', async () => {
    if (pageErrors.length) throw new Error(pageErrors.join('\n'));
  });
} finally {
  await browser.close();
}
console.log(`browser: Swagger UI passed every step; screenshots in ${OUT}`);
