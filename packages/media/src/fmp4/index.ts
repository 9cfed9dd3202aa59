export { Fmp4Muxer, type Fmp4MuxerOptions, type FragmentOptions, type FragmentMode } from './muxer.ts';
export { buildInitSegment, avcC, hvcC, Fmp4Error, type InitOptions } from './init.ts';
export {
  writeFragment,
  isDroppedNal,
  sampleSize,
  SAMPLE_FLAGS_SYNC,
  SAMPLE_FLAGS_NON_SYNC,
  type FragmentSpec,
} from './fragment.ts';
export {
  parseFmp4,
  listBoxes,
  splitLengthPrefixed,
  type Box,
  type Fmp4File,
  type Fmp4Fragment,
  type Fmp4Sample,
  type Fmp4Track,
  type Fmp4ParseResult,
} from './parser.ts';
