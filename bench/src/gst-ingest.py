#!/usr/bin/python3
"""The GStreamer baseline of `bench ingest`: one process for all cameras, the way
GStreamer-based recorders ingest. One branch per stream:

    rtspsrc location=<url> protocols=tcp latency=0 ! rtph264depay ! h264parse ! fakesink sync=false

Nothing runs in Python per frame (no signals, no probes): the script only builds the
pipeline, prints PLAYING once every source is linked, and answers "stats" on stdin with
the frames the sinks rendered (GstBaseSink's read-only `stats` property), read on demand.

usage: gst-ingest.py --port P --cameras N [--streams main,sub]
"""
import argparse
import json
import sys

try:
    import gi

    gi.require_version("Gst", "1.0")
    from gi.repository import GLib, Gst
except (ImportError, ValueError) as err:
    print(f"MISSING python3-gi with GStreamer 1.0 ({err})", flush=True)
    sys.exit(2)

args = argparse.ArgumentParser()
args.add_argument("--port", type=int, required=True)
args.add_argument("--cameras", type=int, required=True)
args.add_argument("--streams", default="main")
opts = args.parse_args()

Gst.init(None)
missing = [e for e in ("rtspsrc", "rtph264depay", "h264parse", "fakesink") if not Gst.ElementFactory.find(e)]
if missing:
    print(f"MISSING GStreamer elements {' '.join(missing)}", flush=True)
    sys.exit(2)

branches = []
for i in range(opts.cameras):
    for stream in opts.streams.split(","):
        url = f"rtsp://127.0.0.1:{opts.port}/cam/b{i}/{stream}"
        branches.append(
            f"rtspsrc location={url} protocols=tcp latency=0 ! rtph264depay ! h264parse ! fakesink name=s{len(branches)} sync=false"
        )
pipeline = Gst.parse_launch(" ".join(branches))
sinks = [pipeline.get_by_name(f"s{k}") for k in range(len(branches))]
loop = GLib.MainLoop()


def rendered():
    total = 0
    flowing = 0
    for s in sinks:
        n = s.get_property("stats").get_value("rendered") or 0
        total += n
        flowing += 1 if n > 0 else 0
    return total, flowing


def on_bus(_bus, msg):
    if msg.type == Gst.MessageType.ERROR:
        err, _dbg = msg.parse_error()
        print(f"ERROR {err.message}", flush=True)
        loop.quit()
    elif msg.type == Gst.MessageType.STATE_CHANGED and msg.src == pipeline:
        _old, new, _pending = msg.parse_state_changed()
        if new == Gst.State.PLAYING:
            print("PLAYING", flush=True)
    return True


def on_stdin(source, _cond):
    line = source.readline()
    if not line:
        loop.quit()
        return False
    if line.strip() == "stats":
        frames, flowing = rendered()
        print("STATS " + json.dumps({"frames": frames, "flowingSinks": flowing}), flush=True)
    return True


bus = pipeline.get_bus()
bus.add_signal_watch()
bus.connect("message", on_bus)
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, lambda *_: on_stdin(sys.stdin, None))
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, lambda: loop.quit() or False)
pipeline.set_state(Gst.State.PLAYING)
try:
    loop.run()
finally:
    pipeline.set_state(Gst.State.NULL)
