/** Known-good parameter sets for tests that run without ffmpeg (not exported from the package). */

/** x264, 320x240, Constrained Baseline, level 1.3, 25 fps. */
export const H264_SPS = Buffer.from('6742c00dd90141fb011000000300100000030320f142a480', 'hex');
export const H264_PPS = Buffer.from('68cb83cb20', 'hex');
/** x265, 320x240, Main, level 2, 25 fps. */
export const H265_VPS = Buffer.from('40010c01ffff01600000030090000003000003003c959409', 'hex');
export const H265_SPS = Buffer.from(
  '42010101600000030090000003000003003ca00a080f16595952930bc05a020000030002000003003210',
  'hex',
);
export const H265_PPS = Buffer.from('4401c073c189', 'hex');
