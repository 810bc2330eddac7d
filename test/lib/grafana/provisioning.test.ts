import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_DATASOURCE_UID, PROVISION_DEFAULTS, QUESTDB_PLUGIN, questDbDataSource } from '../../../lib/grafana/index.js';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8'));

describe('dashboards/provisioning', () => {
  it('provisions the same QuestDB data source as the API provisioning does', () => {
    const file = read('dashboards/provisioning/datasources/questdb.yaml') as { apiVersion: number; datasources: Array<Record<string, unknown>> };
    assert.strictEqual(file.apiVersion, 1);
    const [source] = file.datasources;
    const api = questDbDataSource({ server: 'questdb', password: 'x' });
    assert.deepStrictEqual([source.uid, source.type, source.access, source.name], [DEFAULT_DATASOURCE_UID, QUESTDB_PLUGIN, 'proxy', api.name]);
    assert.deepStrictEqual(Object.keys(source.jsonData as object).sort(), Object.keys(api.jsonData!).sort());
    assert.strictEqual((source.jsonData as { port: number }).port, 8812);
    // The plugin types timeout and queryTimeout as numbers (seconds).
    assert.deepStrictEqual([typeof (source.jsonData as any).timeout, typeof (source.jsonData as any).queryTimeout], ['number', 'number']);
    assert.deepStrictEqual([typeof api.jsonData!.timeout, typeof api.jsonData!.queryTimeout], ['number', 'number']);
    assert.deepStrictEqual(Object.keys(source.secureJsonData as object), ['password']);
  });

  it('loads the generated dashboards into the oilrisk folder', () => {
    const file = read('dashboards/provisioning/dashboards/oilrisk.yaml') as { providers: Array<{ type: string; folderUid: string; options: { path: string } }> };
    const [provider] = file.providers;
    assert.deepStrictEqual([provider.type, provider.folderUid], ['file', PROVISION_DEFAULTS.folder.uid]);
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    assert.ok(compose.includes(`./dashboards/generated:${provider.options.path}`), 'docker-compose.yml must mount dashboards/generated where the provider reads');
    assert.ok(compose.includes('./dashboards/provisioning/datasources:/etc/grafana/provisioning/datasources'));
    assert.ok(compose.includes('./dashboards/provisioning/dashboards:/etc/grafana/provisioning/dashboards'));
    assert.match(compose, /GF_INSTALL_PLUGINS[:=] *"?questdb-questdb-datasource/);
  });
});
