// The OPC UA server of the simulated CPF PLC: one variable per opcua-bound tag, at the node id
// of its binding, read from the field model; tags of a lost device read BadNoCommunication.

import { join } from 'node:path';
import {
  DataType, DataValue, OPCUACertificateManager, OPCUAClient, OPCUAServer, StatusCodes, Variant, type UAVariable,
} from 'node-opcua';
import type { Tag } from '../../lib/model/index.js';
import { deviceOf } from '../devices.js';
import type { Field } from '../field.js';
import { channelOf, deviceValue } from './encoding.js';

export interface OpcuaDevice {
  url: string;
  port: number;
  close(): Promise<void>;
}

function dataTypeOf(tag: Tag): DataType {
  const name = channelOf(tag)?.opcua?.dataType ?? 'Double';
  return (DataType as unknown as Record<string, DataType>)[name] ?? DataType.Double;
}

export async function startOpcuaServer(field: Field, tags: Tag[], port: number, pkiFolder: string): Promise<OpcuaDevice> {
  const serverCertificateManager = new OPCUACertificateManager({ rootFolder: join(pkiFolder, 'server'), automaticallyAcceptUnknownCertificate: true });
  const server = new OPCUAServer({
    port,
    hostname: '127.0.0.1',
    resourcePath: '/oilrisk',
    serverCertificateManager,
    allowAnonymous: true,
    buildInfo: { productName: 'oilrisk simulator', manufacturerName: 'oilrisk' },
    serverInfo: { applicationUri: 'urn:oilrisk:simulator', productUri: 'urn:oilrisk:simulator' },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Field' });
  const variables: UAVariable[] = [];
  for (const tag of tags) {
    if (tag.binding?.protocol !== 'opcua') continue;
    const dataType = dataTypeOf(tag);
    const device = deviceOf(tag)!;
    const channel = channelOf(tag);
    variables.push(namespace.addVariable({
      organizedBy: folder,
      browseName: tag.id,
      nodeId: tag.binding.address,
      dataType,
      minimumSamplingInterval: 500,
      value: {
        timestamped_get: () => {
          const sourceTimestamp = new Date(); // the PLC's own clock, whatever the model's speed
          if (!field.isOnline(device)) return new DataValue({ statusCode: StatusCodes.BadNoCommunication, sourceTimestamp });
          const raw = field.value(tag.id);
          const value = raw === undefined ? null : deviceValue(tag, channel, raw);
          const typed = dataType === DataType.Boolean ? Boolean(value) : dataType === DataType.Double || dataType === DataType.Float ? Number(value) : Math.round(Number(value));
          return new DataValue({ value: new Variant({ dataType, value: typed }), statusCode: StatusCodes.Good, sourceTimestamp });
        },
      },
    }));
  }
  await server.start();
  return {
    url: `opc.tcp://127.0.0.1:${port}/oilrisk`,
    port,
    close: async () => {
      await server.shutdown(0);
      await serverCertificateManager.dispose();
    },
  };
}

/**
 * Creates the OPC UA client certificate once, before any OpcUa-Client node starts: two client
 * nodes creating it at the same time on a fresh machine race and one fails. The folder is the
 * one node-red-contrib-opcua uses (env-paths "node-red-opcua", i.e. under XDG_CONFIG_HOME).
 */
export async function ensureClientCertificate(configHome: string): Promise<void> {
  const clientCertificateManager = new OPCUACertificateManager({
    name: 'PKI', rootFolder: join(configHome, 'node-red-opcua-nodejs', 'PKI'), automaticallyAcceptUnknownCertificate: true,
  });
  const client = OPCUAClient.create({ clientCertificateManager, endpointMustExist: false });
  try {
    await clientCertificateManager.initialize();
    await client.createDefaultCertificate();
  } finally {
    await clientCertificateManager.dispose();
  }
}
