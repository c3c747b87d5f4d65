"""Run the site's processes together, as one command: `make run` and `make serve` call this.

    serve.py dev  --port 8000               runserver + one task worker (task_worker)
    serve.py prod --port 8000 --workers 4   gunicorn + TASK_WORKERS task workers, and, when
                                            REDIS_URL is empty, a local Redis of its own

Ctrl-C (or SIGTERM) stops every process it started; if one of them exits, the others are
stopped too, and this exits with its code. Only processes started here are ever signalled.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_redis(port: int, process: subprocess.Popen, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"serve: redis-server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"serve: redis-server on port {port} did not answer in {seconds:.0f} s")


class Processes:
    def __init__(self):
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(args, cwd=ROOT, env=env)
        self.running.append((name, process))
        return process

    def stop(self) -> None:
        for _, process in reversed(self.running):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in reversed(self.running):
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait_any(self) -> int:
        """Block until one process exits; return its code."""
        while True:
            for name, process in self.running:
                code = process.poll()
                if code is not None:
                    print(f"serve: {name} exited with {code}; stopping the others", file=sys.stderr)
                    return code
            time.sleep(0.2)


def own_redis(processes: Processes, env: dict[str, str], workers: int) -> None:
    """Use REDIS_URL when set; otherwise start a Redis of our own, or refuse to count limits per
    worker."""
    if env.get("REDIS_URL"):
        return
    server = shutil.which("redis-server")
    if server is None:
        if workers > 1:
            sys.exit(
                "serve: REDIS_URL is empty and redis-server is not installed. With more than one "
                "worker the rate limits (public forms, admin sign-in) would count in each worker "
                "on its own. Set REDIS_URL=redis://host:6379/0, install Debian's redis-server "
                "(apt-get install redis-server), or run with WEB_CONCURRENCY=1."
            )
        return
    port = int(env.get("SERVE_REDIS_PORT") or free_port())
    process = processes.start("redis-server", [
        server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--loglevel", "warning",
    ], env)
    wait_for_redis(port, process)
    env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    print(f"serve: REDIS_URL is empty, so a Redis of its own answers on 127.0.0.1:{port}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["dev", "prod"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or 2))
    parser.add_argument("--task-workers", type=int, default=int(os.environ.get("TASK_WORKERS") or 1))
    args = parser.parse_args()
    env = dict(os.environ)
    processes = Processes()

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    try:
        if args.mode == "prod":
            own_redis(processes, env, args.workers)
        for n in range(args.task_workers):
            processes.start(f"task worker {n + 1}", [PY, "manage.py", "task_worker"], env)
        if args.mode == "dev":
            processes.start("runserver", [PY, "manage.py", "runserver", f"127.0.0.1:{args.port}"], env)
        else:
            processes.start("gunicorn", [
                GUNICORN, "twh.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers",
                str(args.workers), "--access-logfile", "-", "--no-control-socket",
            ], env)
        code = processes.wait_any()
    except KeyboardInterrupt:
        pass
    finally:
        processes.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
