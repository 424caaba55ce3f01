// The Teams app package: the manifest against Microsoft's official schema (bundled, offline), the
// icons against Teams' rules, the command menu against the chat grammar, and `npm run package`.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { buildAppPackage, PackageError } from '../../scripts/app-package/build.js';
import { parseEnvFile } from '../../scripts/app-package/env-file.js';
import { iconProblems } from '../../scripts/app-package/icons.js';
import { APP_PACKAGE_DIR } from '../../scripts/app-package/paths.js';
import {
  fillPlaceholders,
  MissingVariablesError,
  placeholdersIn,
} from '../../scripts/app-package/placeholders.js';
import { bundledSchemaPath, validateManifest } from '../../scripts/app-package/validate.js';
import { parseCommand, type Command } from '../../src/chat/grammar.js';
import { SSO_RESOURCE_PATTERN } from '../../src/config.js';

const SAMPLE: ReadonlyMap<string, string> = new Map([
  ['TEAMS_APP_ID', '0b5b1f4e-2c2d-4f6a-9a57-3f1d2e4c5a61'],
  ['BOT_ID', '7c9e6679-7425-40de-944b-e07fc1f90ae7'],
  ['AAD_APP_CLIENT_ID', 'f47ac10b-58cc-4372-a567-0e02b2c3d479'],
  ['BOT_DOMAIN', 'tapdesk-dev.azurewebsites.net'],
  ['APP_NAME_SUFFIX', 'dev'],
]);
const template = readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');

type Manifest = {
  manifestVersion: string;
  id: string;
  name: { short: string };
  bots: Array<{
    botId?: string;
    scopes: string[];
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
  webApplicationInfo: { id: string; resource: string };
  validDomains: string[];
};
const filled = (vars = SAMPLE): Manifest => JSON.parse(fillPlaceholders(template, vars, 'env/.env.test'));
const png = (name: string) => PNG.sync.read(readFileSync(join(APP_PACKAGE_DIR, name)));

function envText(vars: ReadonlyMap<string, string>): string {
  return `# a comment\n\n${[...vars].map(([key, value]) => `${key}=${value}`).join('\n')}\nSECRET_X=  # none\n`;
}
function tempEnv(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-package-'));
  writeFileSync(join(dir, '.env.test'), text);
  return dir;
}

describe('Teams app manifest', () => {
  it('uses the newest manifest version whose schema @microsoft/app-manifest bundles', () => {
    const teamsSchemas = dirname(dirname(bundledSchemaPath('1.0')));
    const versions = readdirSync(teamsSchemas)
      .filter((name) => /^v\d+\.\d+$/.test(name))
      .map((name) => name.slice(1))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(filled().manifestVersion).toBe(versions.at(-1));
  });

  it('has exactly the placeholders the Toolkit environments provide', () => {
    expect(placeholdersIn(template).sort()).toEqual([...SAMPLE.keys()].sort());
  });

  it('validates against the official schema once its placeholders are filled', async () => {
    expect(await validateManifest(filled())).toEqual([]);
    // A production environment has no suffix; that is still a valid manifest.
    expect(await validateManifest(filled(new Map([...SAMPLE, ['APP_NAME_SUFFIX', '']])))).toEqual([]);
  });

  it('fails the schema for a bot without an id, an over-long command title or a non-GUID app id', async () => {
    const noBotId = filled();
    delete noBotId.bots[0]!.botId;
    expect((await validateManifest(noBotId)).join('\n')).toMatch(/botId/);

    const longTitle = filled();
    longTitle.bots[0]!.commandLists[0]!.commands[0]!.title = 'issue TAP for '.padEnd(200, 'x');
    expect((await validateManifest(longTitle)).join('\n')).toMatch(/commands\/0\/title .*128/);

    expect(await validateManifest({ ...filled(), id: 'not-a-guid' })).not.toEqual([]);
  });

  it('refuses a manifest with a placeholder left or an SSO resource of another shape', async () => {
    expect(await validateManifest(JSON.parse(template))).toContain('/ has an unfilled ${{…}} placeholder');
    const manifest = filled();
    manifest.webApplicationInfo.resource = `https://${SAMPLE.get('BOT_DOMAIN')}`;
    expect((await validateManifest(manifest)).join('\n')).toMatch(/webApplicationInfo\/resource/);
  });

  it('asks Teams SSO for the resource src/config.ts expects in SSO_RESOURCE', () => {
    const { webApplicationInfo, validDomains, bots } = filled();
    expect(webApplicationInfo.resource).toMatch(SSO_RESOURCE_PATTERN);
    expect(webApplicationInfo).toEqual({
      id: SAMPLE.get('AAD_APP_CLIENT_ID'),
      resource: `api://${SAMPLE.get('BOT_DOMAIN')}/botid-${SAMPLE.get('BOT_ID')}`,
    });
    expect(validDomains).toEqual([SAMPLE.get('BOT_DOMAIN')]);
    expect(bots[0]!.botId).toBe(SAMPLE.get('BOT_ID'));
  });
});

describe('command menu', () => {
  const expected: Record<string, Command['kind']> = {
    'issue TAP for': 'issue',
    'request TAP for': 'request',
    'list TAP for': 'list',
    'revoke TAP for': 'revoke',
    'tap policy': 'policy',
    help: 'help',
  };
  const [bot] = filled().bots;

  it('lists the same six commands for each of the bot scopes, within the documented 32/128 limits', () => {
    expect(bot!.commandLists.flatMap((list) => list.scopes).sort()).toEqual([...bot!.scopes].sort());
    for (const list of bot!.commandLists) {
      expect(list.commands.map((c) => c.title)).toEqual(Object.keys(expected));
      for (const { title, description } of list.commands) {
        expect(title.length).toBeLessThanOrEqual(32);
        expect(description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  // Teams puts the title in the compose box and the admin types the rest: a person, for "… for".
  it.each(Object.entries(expected))('"%s" starts a command the grammar accepts', (title, kind) => {
    const typed = title.endsWith(' for') ? `${title} alice@contoso.com` : title;
    const result = parseCommand(typed);
    expect(result).toMatchObject({ ok: true, command: { kind } });
  });
});

describe('app icons', () => {
  it('are a 192x192 opaque colour icon and a 32x32 white-on-transparent outline icon', () => {
    const color = png('color.png');
    const outline = png('outline.png');
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    const pixels = (image: PNG) =>
      Array.from({ length: image.data.length / 4 }, (_, i) => image.data.subarray(i * 4, i * 4 + 4));
    expect(new Set(pixels(color).map(([, , , alpha]) => alpha))).toEqual(new Set([255]));
    const visible = pixels(outline).filter(([, , , alpha]) => alpha !== 0);
    expect(visible.length).toBeGreaterThan(50);
    expect(new Set(visible.map(([r, g, b]) => `${r},${g},${b}`))).toEqual(new Set(['255,255,255']));
    expect(iconProblems('color', readFileSync(join(APP_PACKAGE_DIR, 'color.png')))).toEqual([]);
    expect(iconProblems('outline', readFileSync(join(APP_PACKAGE_DIR, 'outline.png')))).toEqual([]);
  });

  it('are refused at the wrong size or with a coloured outline pixel', () => {
    const outline = png('outline.png');
    outline.data.set([255, 0, 0, 255], 0);
    expect(iconProblems('outline', PNG.sync.write(outline))).toEqual([
      'outline icon must be white on transparent; pixel 0 is rgba(255,0,0,255)',
    ]);
    expect(iconProblems('color', readFileSync(join(APP_PACKAGE_DIR, 'outline.png')))).toEqual([
      'color icon is 32x32, Teams wants 192x192',
    ]);
    expect(iconProblems('color', Buffer.from('not a png'))[0]).toMatch(/not a readable PNG/);
  });
});

describe('npm run package', () => {
  it('reads env files as the Toolkit writes them', () => {
    const vars = parseEnvFile(
      '# c\nA=1\n  B = two words  \nC="quoted # kept"\nD=x # comment\nE=\nbad line\n',
    );
    expect([...vars]).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'quoted # kept'],
      ['D', 'x'],
      ['E', ''],
    ]);
  });

  it('zips exactly manifest.json and the two icons, filled and reproducible', async () => {
    const envDir = tempEnv(envText(SAMPLE));
    const first = await buildAppPackage({ envName: 'test', envDir, outDir: envDir });
    expect(first.zipPath).toBe(join(envDir, 'appPackage.test.zip'));
    const bytes = readFileSync(first.zipPath);
    const entries = unzipSync(bytes);
    expect(Object.keys(entries).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifestText = strFromU8(entries['manifest.json']!);
    expect(manifestText).not.toContain('${{');
    expect(JSON.parse(manifestText)).toMatchObject({
      id: SAMPLE.get('TEAMS_APP_ID'),
      name: { short: 'TapDeskdev' },
    });
    expect(Buffer.from(entries['outline.png']!)).toEqual(readFileSync(join(APP_PACKAGE_DIR, 'outline.png')));

    await buildAppPackage({ envName: 'test', envDir, outDir: envDir });
    expect(readFileSync(first.zipPath)).toEqual(bytes);
  });

  it('names every missing or empty variable, where, and what to do', async () => {
    const vars = new Map([...SAMPLE, ['TEAMS_APP_ID', ''], ['APP_NAME_SUFFIX', '']]);
    vars.delete('BOT_ID');
    const envDir = tempEnv(envText(vars));
    const build = buildAppPackage({ envName: 'test', envDir, outDir: envDir });
    await expect(build).rejects.toThrow(MissingVariablesError);
    const message = (await build.catch((error: Error) => error.message)) as string;
    expect(message).toMatch(
      /TEAMS_APP_ID is empty in \S*\.env\.test: run the Toolkit's provision first, or fill it in/,
    );
    expect(message).toMatch(/BOT_ID is missing from \S*\.env\.test/);
    expect(message).not.toContain('APP_NAME_SUFFIX');
  });

  it('refuses an SSO_RESOURCE that differs from the manifest, and unknown environments', async () => {
    const envDir = tempEnv(envText(new Map([...SAMPLE, ['SSO_RESOURCE', 'api://elsewhere/botid-x']])));
    await expect(buildAppPackage({ envName: 'test', envDir, outDir: envDir })).rejects.toThrow(
      /webApplicationInfo\.resource is api:\/\/tapdesk-dev.* but SSO_RESOURCE/,
    );
    await expect(buildAppPackage({ envName: 'nope', envDir, outDir: envDir })).rejects.toThrow(PackageError);
    await expect(buildAppPackage({ envName: '../x', envDir, outDir: envDir })).rejects.toThrow(
      /not an environment/,
    );
  });
});
