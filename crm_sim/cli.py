"""crm-sim: the embedded CRM as a local web server.

Usage example:
    crm-sim serve --port 0 --db /tmp/crm.sqlite3 --reset --faults latency=50-400ms,seed=7

The first line on stdout is `crm-sim: serving http://127.0.0.1:PORT (UAT)`; request logs go to
stderr. SIGTERM or Ctrl-C stops the server.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from werkzeug.serving import make_server

from crm_sim.app import create_app
from crm_sim.config import SKINS, SimConfig
from crm_sim.faults import FaultSpecError, parse_fault_spec

STOP_POLL_S = 0.05


def _fault_spec(text: str) -> str:
    try:
        parse_fault_spec(text)
    except FaultSpecError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive_seconds(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crm-sim", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run the embedded CRM",
        description="Run the embedded CRM. Example: crm-sim serve --port 0 --reset",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument(
        "--port", type=_non_negative, default=8765, help="port; 0 picks a free one (default 8765)"
    )
    serve.add_argument(
        "--db",
        type=Path,
        default=Path("crm_sim.sqlite3"),
        help="SQLite file (default crm_sim.sqlite3 here; created and seeded)",
    )
    serve.add_argument("--reset", action="store_true", help="reseed the database first")
    serve.add_argument(
        "--faults",
        type=_fault_spec,
        default="",
        metavar="SPEC",
        help="e.g. latency=50-400ms,error_rate=0.05,drop_rate=0.01,seed=7",
    )
    serve.add_argument(
        "--env",
        choices=("UAT", "PROD"),
        default="UAT",
        help="environment shown in the banner (default UAT)",
    )
    serve.add_argument(
        "--session-idle",
        type=_positive_seconds,
        default=900.0,
        metavar="SECONDS",
        help="sign out after this idle time (default 900)",
    )
    serve.add_argument(
        "--save-delay-ms",
        type=_non_negative,
        default=300,
        metavar="MS",
        help="how long each save takes to answer (default 300)",
    )
    serve.add_argument(
        "--extra-billers",
        type=_non_negative,
        default=0,
        metavar="N",
        help="seed N more billers like the sample (Sim Biller 001, ...)",
    )
    serve.add_argument(
        "--skin",
        choices=SKINS,
        default="default",
        help="the screens' markup and wording: default, or legacy (an older admin CRM with the "
        "same data and behaviour; profiles/legacy.toml adapts crm-robot to it)",
    )
    return parser


def serve(args: argparse.Namespace) -> int:
    config = SimConfig(
        db_path=args.db,
        env=args.env,
        session_idle=args.session_idle,
        save_delay_ms=args.save_delay_ms,
        faults=args.faults,
        extra_billers=args.extra_billers,
        reset=args.reset,
        skin=args.skin,
    )
    app = create_app(config)
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except (OSError, SystemExit) as error:
        # werkzeug reports a busy port itself and exits; either way, say what to do next.
        reason = f" ({error.strerror})" if isinstance(error, OSError) else ""
        print(
            f"crm-sim: cannot listen on {args.host}:{args.port}{reason}; "
            "pick another --port or use --port 0",
            file=sys.stderr,
        )
        return 2
    server.daemon_threads = True
    server.block_on_close = False  # never wait on idle keep-alive sockets (browsers open spares)
    print(f"crm-sim: serving http://{args.host}:{server.server_port} ({args.env})", flush=True)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever() to notice, so it cannot run on the main thread;
        # raising here instead could be swallowed by socketserver's per-request error handling.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # Stops within 50 ms of SIGTERM (the default polls every 0.5 s): tests start many.
        server.serve_forever(poll_interval=STOP_POLL_S)
    finally:
        server.server_close()
        print("crm-sim: stopped", file=sys.stderr, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2  # argparse already refuses unknown commands


if __name__ == "__main__":
    sys.exit(main())
