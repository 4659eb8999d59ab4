/**
 * Browser mode hands a dropped file to the engine by uploading it: POST /api/upload keeps
 * it in a private folder for this run and answers with its path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract/errors';
import { startServer, type EngineEndpoint, type RunningServer } from '../../../main/server/server';
import { safeUploadName } from '../../../main/server/uploads';
import { tempDir } from '../../helpers/temp-dir';

const engine: EngineEndpoint = {
  invoke: async () => ({ ok: true, data: null }),
  subscribe: () => () => undefined,
};

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function post(port: number, path: string, body: Buffer, headers: Record<string, string>) {
  return new Promise<{ status: number; json: Envelope<{ path: string }> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('uploads in browser mode', () => {
  it('keep the bytes exactly, under a safe name, until the server stops', async () => {
    const uploadDir = join(tempDir(), 'uploads');
    server = await startServer({ engine, staticDir: tempDir(), token: 't0ken', uploadDir });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id;город\n00123;Москва\n', 'utf8')]);
    const reply = await post(server.port, '/api/upload?name=..%2F..%2Faudience.csv', bytes, {
      Authorization: 'Bearer t0ken',
      'Content-Type': 'application/octet-stream',
    });
    expect(reply.status).toBe(200);
    if (!reply.json.ok) throw new Error(reply.json.error.message);
    const path = reply.json.data.path;
    expect(path.startsWith(uploadDir)).toBe(true);
    expect(path.endsWith('audience.csv')).toBe(true);
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
    await server.close();
    server = null;
    expect(existsSync(uploadDir)).toBe(false);
  });

  it('need the token, and POST', async () => {
    server = await startServer({ engine, staticDir: tempDir(), token: 't0ken', uploadDir: join(tempDir(), 'u') });
    expect((await post(server.port, '/api/upload?name=a.csv', Buffer.from('x'), {})).status).toBe(401);
    expect((await post(server.port, '/api/upload?name=a.csv', Buffer.from('x'), { Authorization: 'Bearer wrong!' })).status).toBe(401);
  });

  it('name files safely', () => {
    expect(safeUploadName('../../etc/passwd')).toBe('passwd');
    expect(safeUploadName('C:\\Users\\me\\list.csv')).toBe('list.csv');
    expect(safeUploadName('.hidden.csv')).toBe('hidden.csv');
    expect(safeUploadName('a<b>:c?.csv')).toBe('a_b__c_.csv');
    expect(safeUploadName(null)).toBe('upload.csv');
    expect(safeUploadName('..')).toBe('upload.csv');
  });
});
