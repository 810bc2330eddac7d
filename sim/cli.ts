// `npm run sim -- --scenario NAME --speed 10`: the simulator on its own, serving a site file
// over Modbus TCP, OPC UA and MQTT on loopback, with an embedded broker unless --mqtt is given.
// `npm run sim -- --write-flow flows/10-field.json` regenerates the field flow from the site.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSiteFile } from '../lib/site/index.js';
import { startBroker, type Broker } from './broker.js';
import { fieldFlow } from './flow.js';
import { isScenarioName, SCENARIO_NAMES } from './scenarios.js';
import { startSimulator } from './simulator.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      site: { type: 'string', default: 'sites/demo-field.yaml' },
      scenario: { type: 'string', default: 'normal' },
      speed: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      mqtt: { type: 'string' },
      'write-flow': { type: 'string' },
    },
  });
  if (values['write-flow']) {
    const site = await loadSiteFile(values.site!);
    if (!site.ok) throw new Error(site.issues.map((i) => `${i.file} ${i.path}: ${i.message}`).join('\n'));
    writeFileSync(values['write-flow'], JSON.stringify(fieldFlow(site.site), null, 2) + '\n');
    console.log(`oilrisk-sim: wrote the field flow of ${site.site.id} to ${values['write-flow']}`);
    return;
  }
  if (!isScenarioName(values.scenario)) throw new Error(`unknown scenario "${values.scenario}"; known: ${SCENARIO_NAMES.join(', ')}`);
  const speed = Number(values.speed);
  if (!(speed > 0)) throw new Error(`--speed must be a number > 0, got "${values.speed}"`);
  const loaded = await loadSiteFile(values.site!);
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.file} ${i.path}: ${i.message}`).join('\n'));
  let broker: Broker | undefined;
  if (!values.mqtt) broker = await startBroker();
  const sim = await startSimulator(loaded.site, { scenario: values.scenario, speed, seed: Number(values.seed), mqttUrl: values.mqtt ?? broker!.url });
  console.log(`oilrisk-sim: site ${loaded.site.id}, scenario ${values.scenario}, speed x${speed}`);
  for (const [device, port] of Object.entries(sim.modbus)) console.log(`oilrisk-sim: modbus ${device} 127.0.0.1:${port}`);
  if (sim.opcuaUrl) console.log(`oilrisk-sim: opcua ${sim.opcuaUrl}`);
  console.log(`oilrisk-sim: mqtt ${sim.mqttUrl}${broker ? ' (embedded broker)' : ''}`);
  for (const entry of sim.field.scenario.timeline) console.log(`oilrisk-sim:   +${entry.atS} s ${entry.event}`);
  const stop = () => {
    void sim.close().then(() => broker?.close()).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`oilrisk-sim: ${err.message}`);
  process.exit(1);
});
