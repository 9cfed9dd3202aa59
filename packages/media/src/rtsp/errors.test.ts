import { describe, expect, it } from 'vitest';
import { parseRtspUrl, redactUrl, RtspError, stripCredentials } from './errors.ts';

describe('URLs and credentials', () => {
  it('redacts user:pass in any URL of a string, even with an unescaped @ in the password', () => {
    expect(redactUrl('rtsp://admin:secret@10.0.0.2:554/x')).toBe('rtsp://***:***@10.0.0.2:554/x');
    expect(redactUrl('failed rtsp://admin:p@ss@cam/x and rtsp://user@cam')).toBe(
      'failed rtsp://***:***@cam/x and rtsp://***@cam',
    );
    expect(redactUrl('rtsp://cam/path@x')).toBe('rtsp://cam/path@x');
    expect(new RtspError('protocol', 'bad rtsp://a:b@c/').message).toBe('bad rtsp://***:***@c/');
  });

  it('parses rtsp URLs and URL-decodes credentials', () => {
    expect(parseRtspUrl('rtsp://ad%40min:p%3Ass%2F@cam.local/Streaming/101?x=1')).toEqual({
      host: 'cam.local',
      port: 554,
      requestUrl: 'rtsp://cam.local/Streaming/101?x=1',
      username: 'ad@min',
      password: 'p:ss/',
    });
    expect(parseRtspUrl('rtsp://[::1]:8554/s')).toMatchObject({ host: '::1', port: 8554, username: null });
    expect(parseRtspUrl('rtsp://u:100%@h/')).toMatchObject({ password: '100%' });
    expect(() => parseRtspUrl('http://h/')).toThrow(RtspError);
    expect(() => parseRtspUrl('not a url')).toThrow(RtspError);
    expect(stripCredentials('rtsp://u:p@h/x')).toBe('rtsp://h/x');
  });
});
