export { RtspClient, type RtspClientOptions, type RtspClientStats, type RtspSessionInfo, type RtspTransport } from './rtsp-client.ts';
export { parsePortRange, type UdpPortRange } from './transport.ts';
export { RtspError, redactUrl, parseRtspUrl, type RtspErrorReason, type RtspUrl } from './errors.ts';
export {
  parseSdp,
  findVideoTrack,
  resolveControlUrl,
  decodeSprop,
  type SdpSession,
  type SdpMedia,
  type RtpMap,
  type VideoTrack,
} from './sdp.ts';
export {
  RtspAuth,
  parseChallenges,
  pickChallenge,
  authorizationFor,
  type AuthChallenge,
  type DigestInput,
} from './auth.ts';
export {
  RtspStreamReader,
  RtspHeaders,
  parseRtspHead,
  type RtspMessage,
  type RtspReaderHandlers,
} from './rtsp-reader.ts';
