"""A throwaway PostgreSQL server: initdb into a temporary directory, serve on 127.0.0.1 on a
free port, the Databases page's schema applied; stopped and removed again by its owner.

The tests start one per session (the `postgres_server` fixture in tests/conftest.py), and
`./dev postgres` starts one for a reader and prints its DATABASE_URL until Ctrl+C.
initdb refuses to run as root, so as root the server runs as the `postgres` user that
Debian's package creates (or `nobody`)."""

import contextlib
import glob
import os
import pathlib
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from harness.processes import stop_with_parent

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "snippets/databases/migrations/0001_users.sql"
DATABASE = "app"


def bin_dir() -> pathlib.Path | None:
    """Debian keeps the server's programs out of PATH, in /usr/lib/postgresql/N/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=_version)
    if found:
        return pathlib.Path(found[-1]).parent
    on_path = shutil.which("postgres")
    return pathlib.Path(on_path).parent if on_path else None


def _version(path: str) -> int:
    return int(pathlib.Path(path).parts[-3])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postgres:
    """One cluster; start() and stop() may be called again (the outage tests do)."""

    def __init__(self, fsync: bool = False, cpus: set[int] | None = None) -> None:
        programs = bin_dir()
        if programs is None:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
        self.bin = programs
        self.fsync = fsync
        self.cpus = cpus
        self.user = None
        if os.geteuid() == 0:
            name = "postgres" if _exists("postgres") else "nobody"
            self.user = pwd.getpwnam(name)
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="pg-"))
        if self.user:
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self.data = self.dir / "data"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.held: socket.socket | None = None
        options = "-U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-instructions"
        self._run("initdb", "-D", str(self.data), *options.split())

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _as_owner(self) -> dict:
        if not self.user:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def _run(self, program: str, *args: str) -> str:
        done = subprocess.run(
            [str(self.bin / program), *args],
            cwd=self.dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            **self._as_owner(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def _in_server(self) -> None:
        """Pinned before it starts, so every process it forks later is pinned too."""
        stop_with_parent()
        if self.cpus is not None:
            os.sched_setaffinity(0, self.cpus)

    def start(self, timeout: float = 30) -> None:
        """Serve on 127.0.0.1:port (and a socket in the directory), once it accepts queries."""
        self.release_port()
        log = (self.dir / "server.log").open("ab")
        self.process = subprocess.Popen(
            [
                *(str(self.bin / "postgres"), "-D", str(self.data), "-k", str(self.dir)),
                *("-h", "127.0.0.1", "-p", str(self.port)),
                *("-c", f"fsync={'on' if self.fsync else 'off'}", "-c", "max_connections=200"),
            ],
            cwd=self.dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
            preexec_fn=self._in_server,
            **self._as_owner(),
        )
        log.close()  # the server has its own copy
        deadline = time.monotonic() + timeout
        while True:
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                stdin=subprocess.DEVNULL,
            )
            if ready.returncode == 0:
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = (self.dir / "server.log").read_text(errors="replace")
                raise RuntimeError(f"PostgreSQL did not start:\n{log}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Fast shutdown (SIGINT): sessions are ended, nothing committed is lost."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.hold_port()
        self.process = None

    def hold_port(self) -> None:
        """While the server is down its port stays ours, bound but not listening (a client is
        refused, as by no server): the OS gives a bound port to no other socket, neither a
        test's server nor a connection's own end. Once, during an outage test, something else
        had it and the restarted PostgreSQL could not listen ("Address already in use")."""
        held = socket.socket()
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # beside TIME_WAIT
        try:
            held.bind(("127.0.0.1", self.port))
        except OSError:
            held.close()  # taken already: start() says so
        else:
            self.held = held

    def release_port(self) -> None:
        if self.held:
            self.held.close()
            self.held = None

    def psql(self, sql: str, database: str = DATABASE) -> str:
        """Run SQL as the superuser; the result rows, unaligned, one a line."""
        options = "-X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres".split()
        return self._run("psql", *options, "-p", str(self.port), "-d", database, "-c", sql)

    def create_database(self) -> None:
        """The `app` database, holding the page's schema."""
        self.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
        self.psql(SCHEMA.read_text())

    def remove(self) -> None:
        self.stop()
        self.release_port()
        shutil.rmtree(self.dir, ignore_errors=True)


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextlib.contextmanager
def running(fsync: bool = False, cpus: set[int] | None = None):
    """A started server with the schema in place, stopped and removed however the block ends."""
    server = Postgres(fsync=fsync, cpus=cpus)
    try:
        server.start()
        server.create_database()
        yield server
    finally:
        server.remove()


def main() -> None:
    """./dev postgres: a server for trying the samples by hand, until Ctrl+C."""
    with running(fsync=True) as server:
        print(f"export DATABASE_URL={server.url}", flush=True)
        print("PostgreSQL runs, with the users table; Ctrl+C stops it and deletes it.")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            signal.signal(signal.SIGHUP, signal.default_int_handler)  # terminal closed
            while server.process.poll() is None:
                time.sleep(0.5)


if __name__ == "__main__":
    main()
