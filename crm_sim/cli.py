"""crm-sim: the embedded CRM as a local web server.

Usage example:
    crm-sim serve --port 0 --db /tmp/crm.sqlite3 --reset --faults latency=50-400ms,seed=7

    crm-sim serve --port 0 --sso --totp-seed JBSWY3DPEHPK3PXP

The first line on stdout is `crm-sim: serving http://127.0.0.1:PORT (UAT)`, and with --sso
`crm-sim: serving http://127.0.0.1:PORT (UAT) sign-in at http://127.0.0.1:IDPPORT`; request
logs go to stderr. SIGTERM or Ctrl-C stops the server(s).
"""

from __future__ import annotations

import argparse
import signal
import ssl
import sys
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from types import FrameType

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from crm_sim import sso
from crm_sim.app import create_app
from crm_sim.config import SKINS, SimConfig
from crm_sim.faults import FaultSpecError, parse_fault_spec
from crm_sim.idp import create_idp_app
from crm_sim.totp import SeedError, decode_seed

STOP_POLL_S = 0.05


def _fault_spec(text: str) -> str:
    try:
        parse_fault_spec(text)
    except FaultSpecError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _totp_seed(text: str) -> str:
    try:
        decode_seed(text)
    except SeedError as error:
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
    _add_sso_arguments(serve)
    _add_tls_arguments(serve)
    return parser


def _add_tls_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--tls-cert",
        type=Path,
        default=None,
        metavar="PEM",
        help="serve https with this certificate chain (the server's first); needs --tls-key",
    )
    serve.add_argument(
        "--tls-key", type=Path, default=None, metavar="PEM", help="the certificate's private key"
    )


def _add_sso_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--sso",
        action="store_true",
        help="sign in through a separate identity provider (a second port), not a CRM form",
    )
    serve.add_argument(
        "--idp-port",
        type=_non_negative,
        default=None,
        metavar="N",
        help="the identity provider's port with --sso; 0 picks a free one (the default)",
    )
    serve.add_argument(
        "--totp-seed",
        type=_totp_seed,
        default=None,
        metavar="BASE32",
        help="with --sso, also ask for the one-time code of an authenticator app with this seed",
    )


def _config(args: argparse.Namespace) -> SimConfig:
    return SimConfig(
        db_path=args.db,
        env=args.env,
        session_idle=args.session_idle,
        save_delay_ms=args.save_delay_ms,
        faults=args.faults,
        extra_billers=args.extra_billers,
        reset=args.reset,
        skin=args.skin,
        sso=args.sso,
        idp_port=args.idp_port or 0,
        totp_seed=args.totp_seed or "",
    )


def _listen(
    host: str, port: int, app: Flask, option: str, tls: ssl.SSLContext | None = None
) -> BaseWSGIServer | None:
    """A server bound to host:port (not serving yet), or None after saying why not."""
    try:
        server = make_server(host, port, app, threaded=True, ssl_context=tls)
    except (OSError, SystemExit) as error:
        # werkzeug reports a busy port itself and exits; either way, say what to do next.
        reason = f" ({error.strerror})" if isinstance(error, OSError) else ""
        print(
            f"crm-sim: cannot listen on {host}:{port}{reason}; "
            f"pick another {option} or use {option} 0",
            file=sys.stderr,
        )
        return None
    if isinstance(server, ThreadingMixIn):  # threaded=True made it one
        server.daemon_threads = True
        # Never wait on idle keep-alive sockets (browsers open spares).
        server.block_on_close = False
    return server


def serve(args: argparse.Namespace) -> int:
    config = _config(args)
    app = create_app(config)
    tls = _tls_context(args.tls_cert, args.tls_key)
    scheme = "https" if tls else "http"
    server = _listen(args.host, args.port, app, "--port", tls)
    if server is None:
        return 2
    servers = [server]
    line = f"crm-sim: serving {scheme}://{args.host}:{server.server_port} ({args.env})"
    if config.sso:
        link = sso.link_of(app)
        provider = create_idp_app(config, link)
        idp = _listen(args.host, config.idp_port, provider, "--idp-port", tls)
        if idp is None:
            server.server_close()
            return 2
        servers.append(idp)
        # Only now are the ports known (port 0): each app learns where the other one is.
        link.crm_origin = f"{scheme}://{args.host}:{server.server_port}"
        link.idp_origin = f"{scheme}://{args.host}:{idp.server_port}"
        line += f" sign-in at {link.idp_origin}"
    print(line, flush=True)
    _serve_until_stopped(servers)
    return 0


def _tls_context(cert: Path | None, key: Path | None) -> ssl.SSLContext | None:
    """https with the given certificate chain and key (a test's own CA issued them)."""
    if cert is None:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def _serve_until_stopped(servers: list[BaseWSGIServer]) -> None:
    """The first server on this thread, the others (the identity provider) on their own."""

    def stop(_signum: int, _frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever() to notice, so it cannot run on the main thread;
        # raising here instead could be swallowed by socketserver's per-request error handling.
        for each in servers:
            threading.Thread(target=each.shutdown, daemon=True).start()

    # Stops within 50 ms of SIGTERM (the default polls every 0.5 s): tests start many.
    others = [
        threading.Thread(target=other.serve_forever, args=(STOP_POLL_S,), daemon=True)
        for other in servers[1:]
    ]
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for thread in others:
        thread.start()
    try:
        servers[0].serve_forever(poll_interval=STOP_POLL_S)
    finally:
        for other, thread in zip(servers[1:], others, strict=True):
            other.shutdown()  # returns at once when the signal already stopped it
            thread.join()
        for each in servers:
            each.server_close()
        print("crm-sim: stopped", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "serve":
        return 2  # argparse already refuses unknown commands
    if not args.sso and (args.idp_port is not None or args.totp_seed is not None):
        parser.error("--idp-port and --totp-seed need --sso")
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
