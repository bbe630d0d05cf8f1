// A POST body as checked UTF-8 text: JSON or NDJSON only (415 otherwise), at most maxBytes (413, told by the
// Content-Length before anything is read, or as soon as the bytes run over), invalid UTF-8 named by field (400).
import type { IncomingMessage } from 'node:http';
import { problem, type SurfaceReply } from './routes.js';
import { decodeBody } from './utf8.js';

const BODY_TYPES = new Set(['application/json', 'application/x-ndjson']);

export type BodyResult =
  | { ok: true; text: string }
  /** `close`: the rest of the body was not read, so the connection cannot be reused. */
  | { ok: false; reply: SurfaceReply; close: boolean }
  /** The client went away (or the server's request timeout ended it) before the body was complete. */
  | { ok: false; gone: true };

/** The media type of a Content-Type header, lower-cased (media types are case-insensitive, RFC 9110 §8.3.1). */
export const mediaType = (header: string | undefined): string => (header ?? '').split(';', 1)[0]!.trim().toLowerCase();

export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const type = mediaType(req.headers['content-type']);
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody && type === '') return Promise.resolve({ ok: true, text: '' });
  if (!BODY_TYPES.has(type))
    return Promise.resolve({ ok: false, reply: problem(415, '/', 'unsupported content type: use application/json or application/x-ndjson'), close: hasBody });
  const ndjson = type === 'application/x-ndjson';
  const tooBig = (): BodyResult => ({ ok: false, reply: problem(413, '/', `a body of at most ${maxBytes} bytes`), close: true });
  if (length !== undefined && Number(length) > maxBytes) return Promise.resolve(tooBig());
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooBig());
      else chunks.push(chunk);
    };
    const onEnd = () => {
      const decoded = decodeBody(Buffer.concat(chunks, size), ndjson);
      if (decoded.ok) finish({ ok: true, text: decoded.text });
      else
        finish({
          ok: false,
          reply: problem(400, decoded.problem.field, 'valid UTF-8 text (the body holds invalid UTF-8 bytes)', decoded.problem.index),
          close: false,
        });
    };
    const onClose = () => finish({ ok: false, gone: true });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}
