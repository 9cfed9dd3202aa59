import { createReadStream } from 'node:fs';
import {
  Bookmark,
  BookmarkList,
  BookmarkParams,
  BookmarkQuery,
  ClipJob,
  ClipParams,
  CreateBookmark,
  CreateClip,
  EmptyBody,
  EmptyQuery,
  Ok,
  PlaybackMediaQuery,
  RecordingIdParams,
  RecordingSegmentPage,
  RecordingSegmentQuery,
  SnapshotQuery,
  Timeline,
  TimelineQuery,
} from '@kuzet/contracts';
import { z } from 'zod';
import { errorResponses, type App } from '../../platform/http.ts';
import { authOf } from '../../platform/policy-hooks.ts';
import type { PlaybackService } from './playback.service.ts';

/** `attachment; filename=…` with an ASCII fallback and the UTF-8 name (camera names are Cyrillic). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Binary bodies (sent as a stream or a buffer, never serialized). */
const binary = (what: string) => z.unknown().describe(what);

export function playbackRoutes(app: App, playback: PlaybackService): void {
  const tags = ['playback'];
  app.get(
    '/api/v1/cameras/:cameraId/recordings/timeline',
    { schema: { tags, description: 'Recorded ranges (touching files merged), gaps with why, bookmarks and holds within [from, to) (at most 7 days).', params: RecordingIdParams, querystring: TimelineQuery, response: { 200: Timeline, ...errorResponses } } },
    async (req) => playback.timeline(req.params.cameraId, req.query),
  );
  app.get(
    '/api/v1/cameras/:cameraId/recordings',
    { schema: { tags, description: 'The recorded files overlapping [from, to), oldest first, paged.', params: RecordingIdParams, querystring: RecordingSegmentQuery, response: { 200: RecordingSegmentPage, ...errorResponses } } },
    async (req) => playback.segments(req.params.cameraId, req.query),
  );
  app.get(
    '/api/v1/cameras/:cameraId/recordings/media',
    {
      schema: {
        tags,
        description:
          'A continuous fragmented MP4 for MSE from the keyframe at or before `from`, media time = (wall − origin) s; up to `to`, the end of the contiguous footage or 5 minutes. Headers X-Kuzet-Start, X-Kuzet-End, X-Kuzet-Next. H.265 is transcoded to H.264. Audited.',
        params: RecordingIdParams,
        querystring: PlaybackMediaQuery,
        response: { 200: binary('video/mp4: fragmented MP4'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const m = await playback.media(authOf(req).actor, req.params.cameraId, req.query);
      // The client went away: close the files and kill a transcoder at once.
      reply.raw.on('close', m.stop);
      m.stream.on('error', (err) => req.log.warn({ err }, 'playback stream failed'));
      return reply.headers(m.headers).send(m.stream);
    },
  );
  app.get(
    '/api/v1/cameras/:cameraId/recordings/snapshot',
    { schema: { tags, description: 'The JPEG of the picture at `at`. Audited.', params: RecordingIdParams, querystring: SnapshotQuery, response: { 200: binary('image/jpeg'), ...errorResponses } } },
    async (req, reply) => {
      const s = await playback.snapshot(authOf(req).actor, req.params.cameraId, req.query.at);
      return reply.headers({ 'content-type': 'image/jpeg', 'cache-control': 'no-store', 'content-disposition': attachment(s.fileName).replace(/^attachment/, 'inline') }).send(s.jpeg);
    },
  );
  app.post(
    '/api/v1/cameras/:cameraId/recordings/clips',
    { schema: { tags, description: 'Starts making a clip (one camera, at most an hour) as an ordinary MP4; poll the job, then download the file.', params: RecordingIdParams, body: CreateClip, response: { 202: ClipJob, ...errorResponses } } },
    async (req, reply) => reply.status(202).send(await playback.createClip(authOf(req).actor, req.params.cameraId, req.body)),
  );
  app.get(
    '/api/v1/cameras/:cameraId/recordings/clips/:clipId',
    { schema: { tags, params: ClipParams, querystring: EmptyQuery, response: { 200: ClipJob, ...errorResponses } } },
    async (req) => playback.clip(authOf(req).actor, req.params.cameraId, req.params.clipId),
  );
  app.get(
    '/api/v1/cameras/:cameraId/recordings/clips/:clipId/file',
    { schema: { tags, description: 'The finished clip (attachment). Audited.', params: ClipParams, querystring: EmptyQuery, response: { 200: binary('video/mp4: the clip'), ...errorResponses } } },
    async (req, reply) => {
      const f = await playback.clipFile(authOf(req).actor, req.params.cameraId, req.params.clipId);
      return reply
        .headers({ 'content-type': 'video/mp4', 'content-length': String(f.bytes), 'content-disposition': attachment(f.fileName), 'cache-control': 'no-store' })
        .send(createReadStream(f.path));
    },
  );
  app.get(
    '/api/v1/cameras/:cameraId/bookmarks',
    { schema: { tags, params: RecordingIdParams, querystring: BookmarkQuery, response: { 200: BookmarkList, ...errorResponses } } },
    async (req) => playback.bookmarks(req.params.cameraId, req.query.from, req.query.to),
  );
  app.post(
    '/api/v1/cameras/:cameraId/bookmarks',
    { schema: { tags, params: RecordingIdParams, body: CreateBookmark, response: { 201: Bookmark, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await playback.createBookmark(authOf(req).actor, req.params.cameraId, req.body)),
  );
  app.delete(
    '/api/v1/cameras/:cameraId/bookmarks/:bookmarkId',
    { schema: { tags, params: BookmarkParams, body: EmptyBody, response: { 200: Ok, ...errorResponses } } },
    async (req) => {
      await playback.deleteBookmark(authOf(req).actor, req.params.cameraId, req.params.bookmarkId);
      return { ok: true as const };
    },
  );
}
