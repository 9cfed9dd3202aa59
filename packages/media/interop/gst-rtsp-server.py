#!/usr/bin/python3
"""A GStreamer RTSP server for the interop tests (Debian: gir1.2-gst-rtsp-server-1.0,
python3-gi, gstreamer1.0-plugins-ugly for x264enc, -bad for x265enc).

Usage: gst-rtsp-server.py PORT FRAMES
Five servers, each mount not shared (every client gets FRAMES frames at 25 fps from
the start, then EOS; FRAMES 0: a live stream without end):
  PORT     no auth       /h264  /h265
  PORT+1   Basic auth    /h264   (kuzet / s3cret-pw)
  PORT+2   Digest auth   /h264   (kuzet / s3cret-pw)
  PORT+3   UDP only      /h264   (SETUP asking for TCP: 461 Unsupported Transport)
  PORT+4   TCP only      /h264   (SETUP asking for UDP: 461 Unsupported Transport)
Prints "READY" once all listen.
"""
import sys
import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtsp', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtsp, GstRtspServer, GLib  # noqa: E402

port, frames = int(sys.argv[1]), int(sys.argv[2])
Gst.init(None)

LIMIT = f'num-buffers={frames}' if frames > 0 else 'is-live=true'
SRC = f'videotestsrc {LIMIT} pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1'
PIPES = {
    '/h264': f'( {SRC} ! x264enc tune=zerolatency key-int-max=25 bframes=0 ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )',
    '/h265': f'( {SRC} ! x265enc tune=zerolatency key-int-max=25 ! h265parse ! rtph265pay name=pay0 pt=96 config-interval=-1 )',
}


def make_server(p, method, protocols=None):
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(str(p))
    mounts = server.get_mount_points()
    role = 'kuzet' if method else 'anonymous'
    for path, launch in PIPES.items():
        if method and path != '/h264':
            continue
        f = GstRtspServer.RTSPMediaFactory()
        f.set_launch(launch)
        f.set_shared(False)
        if protocols is not None:
            f.set_protocols(protocols)
        f.add_role_from_structure(Gst.Structure.from_string(
            f'{role}, media.factory.access=(boolean)true, media.factory.construct=(boolean)true')[0])
        mounts.add_factory(path, f)
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string('media.factory.role', role)
    if method == 'basic':
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic('kuzet', 's3cret-pw'), token)
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
    elif method == 'digest':
        auth.add_digest('kuzet', 's3cret-pw', token)
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    else:
        auth.set_default_token(token)
    server.set_auth(auth)
    server.attach(None)
    return server


servers = [
    make_server(port, None),
    make_server(port + 1, 'basic'),
    make_server(port + 2, 'digest'),
    make_server(port + 3, None, GstRtsp.RTSPLowerTrans.UDP),
    make_server(port + 4, None, GstRtsp.RTSPLowerTrans.TCP),
]
print('READY', flush=True)
GLib.MainLoop().run()
