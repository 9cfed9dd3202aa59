import { describe, expect, it } from 'vitest';
import { decodeSprop, findVideoTrack, parseSdp, resolveControlUrl } from './sdp.ts';

// As sent by a common camera (abridged): session-level control, audio first, no trailing slash.
const CAMERA_SDP = `v=0
o=- 1109162014219182 1109162014219192 IN IP4 192.168.1.64
s=Media Presentation
e=NONE
b=AS:5050
t=0 0
a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast
m=video 0 RTP/AVP 96
c=IN IP4 0.0.0.0
b=AS:5000
a=recvonly
a=x-dimensions:1920,1080
a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast
a=rtpmap:96 H264/90000
a=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z00AKp2oHgCJ+WbgICAgQA==,aO48gA==
m=audio 0 RTP/AVP 8
a=rtpmap:8 PCMA/8000
a=control:trackID=2
`;

describe('parseSdp', () => {
  it('reads media, rtpmap, fmtp and controls', () => {
    const sdp = parseSdp(CAMERA_SDP);
    expect(sdp.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast');
    expect(sdp.media.map((m) => m.type)).toEqual(['video', 'audio']);
    const v = findVideoTrack(sdp);
    expect(v).toMatchObject({ codec: 'h264', payloadType: 96, clockRate: 90000, profileLevelId: '420029' });
    expect(v?.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast');
    expect(v?.parameterSets.map((n) => (n[0] as number) & 0x1f)).toEqual([7, 8]);
    expect(sdp.media[1]?.rtpmap.get(8)).toEqual({ encoding: 'PCMA', clockRate: 8000, channels: null });
  });

  it('finds H.265 with sprop-vps/sps/pps and skips what we cannot depacketize', () => {
    const sdp = parseSdp(
      [
        'm=video 0 RTP/AVP 96 98',
        'a=rtpmap:96 H264/90000',
        'a=fmtp:96 packetization-mode=2',
        'a=rtpmap:98 H265/90000',
        'a=fmtp:98 sprop-vps=QAEMAf//; sprop-sps=QgEB; sprop-pps=RAHB',
        'a=control:trackID=0',
      ].join('\r\n'),
    );
    const v = findVideoTrack(sdp);
    expect(v?.codec).toBe('h265');
    expect(v?.parameterSets.map((n) => ((n[0] as number) >> 1) & 0x3f)).toEqual([32, 33, 34]);
    expect(
      findVideoTrack(parseSdp('m=video 0 RTP/AVP 97\na=rtpmap:97 H265/90000\na=fmtp:97 sprop-max-don-diff=2')),
    ).toBeNull();
    expect(findVideoTrack(parseSdp('m=audio 0 RTP/AVP 0'))).toBeNull();
  });

  it('never throws on junk and caps the number of media sections', () => {
    expect(parseSdp('').media).toEqual([]);
    expect(() => parseSdp('m=\na=rtpmap:\na=fmtp:x\nm=video x y z\na=rtpmap:96\n=\n\u0000')).not.toThrow();
    expect(parseSdp('m=video 0 RTP/AVP 96\n'.repeat(1000)).media.length).toBe(64);
    expect(decodeSprop('!!!,,')).toEqual([]);
  });
});

describe('resolveControlUrl', () => {
  it.each([
    ['rtsp://cam/stream', null, 'rtsp://cam/stream'],
    ['rtsp://cam/stream', '*', 'rtsp://cam/stream'],
    ['rtsp://cam/stream', 'trackID=1', 'rtsp://cam/stream/trackID=1'],
    ['rtsp://cam/stream/', 'trackID=1', 'rtsp://cam/stream/trackID=1'],
    ['rtsp://cam:554/a/b', '/x/track1', 'rtsp://cam:554/x/track1'],
    ['rtsp://cam/stream', 'rtsp://other/track', 'rtsp://other/track'],
  ])('%s + %s', (base, control, expected) => {
    expect(resolveControlUrl(base, control)).toBe(expected);
  });
});
