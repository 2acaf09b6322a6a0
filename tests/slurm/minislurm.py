"""A throw-away one-node SLURM cluster on this machine, for tests/test_slurm.py.

Starts its own munged (private key and socket), slurmctld and slurmd, all in
the foreground as child processes of this Python process, with their state,
logs and PID files under one directory /tmp/aibarometer-slurm-XXXX. Stops
them by their PIDs. Needs root: the daemons run as root and the config must
also be at /etc/slurm/slurm.conf, because `srun` inside a job does not see
SLURM_CONF. An /etc/slurm/slurm.conf that this module did not write (a real
SLURM installation) is never touched: the cluster then refuses to start.

Used by the test fixture; by hand, for debugging:

    .venv/bin/python tests/slurm/minislurm.py      # start, print SLURM_CONF, Ctrl-C stops
"""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import re
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "slurm.conf.in"
MARKER = "aibarometer-test-cluster"
ETC_CONF = Path("/etc/slurm/slurm.conf")
PACKAGES = ["slurmd", "slurmctld", "slurm-client", "munge"]
BINARIES = ["munged", "slurmctld", "slurmd", "sbatch", "srun", "squeue", "scancel", "sinfo"]
SBIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BASE_PREFIX = "aibarometer-slurm-"
# One test cluster per machine at a time: /etc/slurm/slurm.conf is shared by all.
MACHINE_LOCK = Path("/tmp/aibarometer-slurm.lock")


class SlurmUnavailable(RuntimeError):
    """SLURM cannot be set up here; the message says why (used as the skip reason)."""


def _which(name: str) -> str | None:
    return shutil.which(name, path=os.environ.get("PATH", "") + ":" + SBIN_PATH)


def clean_env(**extra: str) -> dict:
    """This process's environment without SLURM_* (as if not inside a SLURM job), plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
    env["PATH"] = env.get("PATH", "") + ":" + SBIN_PATH
    env.update(extra)
    return env


def ensure_packages(timeout: int = 600) -> None:
    """Install the Debian packages of SLURM and MUNGE if a binary is missing (root only)."""
    if os.geteuid() != 0:
        raise SlurmUnavailable("not root: starting munged/slurmctld/slurmd and writing "
                               f"{ETC_CONF} needs root")
    missing = [b for b in BINARIES if not _which(b)]
    if not missing:
        return
    apt = _which("apt-get")
    if not apt:
        raise SlurmUnavailable(f"SLURM is not installed ({', '.join(missing)} missing) and there is "
                               "no apt-get to install it")
    env = clean_env(DEBIAN_FRONTEND="noninteractive")
    steps = [[apt, "update", "-qq"],
             [apt, "install", "-y", "-qq", "--no-install-recommends",
              "-o", "DPkg::Lock::Timeout=120", *PACKAGES]]
    for cmd in steps:
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise SlurmUnavailable(f"`{' '.join(cmd)}` timed out after {timeout} s") from None
        if proc.returncode != 0:
            raise SlurmUnavailable(f"`{' '.join(cmd)}` failed (exit {proc.returncode}): "
                                   f"{(proc.stderr or proc.stdout)[-1500:]}")
    still = [b for b in BINARIES if not _which(b)]
    if still:
        raise SlurmUnavailable(f"installed {' '.join(PACKAGES)} but still missing: {', '.join(still)}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child counts as dead
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _stop_pid(pid: int, grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds; reaps the process if it is our child."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        end = time.monotonic() + wait
        while time.monotonic() < end:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            except ChildProcessError:
                if not _alive(pid):
                    return
            time.sleep(0.1)
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def cleanup_stale() -> None:
    """Stop what an earlier, killed test run left: daemons of base dirs nobody holds the lock of.

    Only PIDs listed in such a dir whose command line names that dir are stopped."""
    for base in Path("/tmp").glob(BASE_PREFIX + "*"):
        lock = base / "lock"
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a live cluster holds it
            os.close(fd)
            continue
        try:
            pids = json.loads((base / "pids.json").read_text())
        except (OSError, ValueError):
            pids = {}
        for pid in pids.values():
            if str(base) in _cmdline(pid):
                _stop_pid(pid, grace=2.0)
        os.close(fd)
        shutil.rmtree(base, ignore_errors=True)
    if ETC_CONF.exists() and MARKER in ETC_CONF.read_text(errors="replace"):
        m = re.search(r"StateSaveLocation=(\S+)", ETC_CONF.read_text(errors="replace"))
        if m and not Path(m.group(1)).exists():
            ETC_CONF.unlink()


class MiniSlurm:
    """munged + slurmctld + slurmd for one node named as `slurmd -C` says; see the module doc."""

    def __init__(self) -> None:
        self.base: Path | None = None
        self.conf: Path | None = None
        self.procs: dict[str, subprocess.Popen] = {}
        self._lock_fd: int | None = None
        self._machine_fd: int | None = None
        self._wrote_etc = False

    # -- environment for clients (sbatch, squeue, snakemake) --
    @property
    def env(self) -> dict:
        return clean_env(SLURM_CONF=str(self.conf))

    def run(self, *cmd: str, timeout: float = 30) -> subprocess.CompletedProcess:
        return subprocess.run(list(cmd), env=self.env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    def jobs(self) -> list[dict]:
        """All jobs the controller knows (finished ones are kept for MinJobAge)."""
        proc = self.run("squeue", "--states=all", "--noheader", "--format=%i|%T|%k|%j")
        if proc.returncode != 0:
            raise RuntimeError(f"squeue failed: {proc.stderr}")
        rows = [line.split("|", 3) for line in proc.stdout.splitlines() if line.strip()]
        return [dict(jobid=r[0].strip(), state=r[1].strip(), comment=r[2].strip(), name=r[3].strip())
                for r in rows]

    def log_tail(self, n: int = 15) -> str:
        if not self.base:
            return ""
        out = []
        for name in ("munged.out", "slurmctld.log", "slurmctld.out", "slurmd.log", "slurmd.out"):
            p = self.base / name
            lines = p.read_text(errors="replace").splitlines()[-n:] if p.exists() else []
            if lines:
                out.append(f"--- {p}\n" + "\n".join(lines))
        return "\n".join(out)

    # -- start / stop --
    def start(self, timeout: float = 30, wait_for_other: float = 900) -> "MiniSlurm":
        """Start the cluster; first wait up to `wait_for_other` s for another test cluster on
        this machine (another pytest run) to stop."""
        self._machine_fd = os.open(MACHINE_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        end = time.monotonic() + wait_for_other
        while True:
            try:
                fcntl.flock(self._machine_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > end:
                    raise SlurmUnavailable(f"another SLURM test cluster on this machine (lock {MACHINE_LOCK}) "
                                           f"did not stop within {wait_for_other:.0f} s") from None
                time.sleep(1)
        cleanup_stale()
        if ETC_CONF.exists() and MARKER not in ETC_CONF.read_text(errors="replace"):
            raise SlurmUnavailable(f"{ETC_CONF} exists and was not written by this test (a real SLURM "
                                   "installation?); leaving it alone")
        try:
            munge = pwd.getpwnam("munge")
        except KeyError:
            raise SlurmUnavailable("no 'munge' user (is the munge package installed?)") from None

        self.base = Path(tempfile.mkdtemp(prefix=BASE_PREFIX, dir="/tmp"))
        self.base.chmod(0o755)  # munged (as user munge) must reach its socket
        self._lock_fd = os.open(self.base / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for d in ("state", "spool"):
            (self.base / d).mkdir()

        # munged: own key (1 KiB random, owner munge, 0400) and socket
        mdir = self.base / "munge"
        mdir.mkdir(mode=0o755)
        key = mdir / "munge.key"
        key.write_bytes(os.urandom(1024))
        os.chown(mdir, munge.pw_uid, munge.pw_gid)
        os.chown(key, munge.pw_uid, munge.pw_gid)
        key.chmod(0o400)
        socket_path = mdir / "munge.socket"
        self._spawn("munged", [_which("munged"), "--foreground", f"--key-file={key}",
                               f"--socket={socket_path}", f"--pid-file={mdir / 'munged.pid'}",
                               f"--log-file={mdir / 'munged.log'}", f"--seed-file={mdir / 'munged.seed'}"],
                    user=munge.pw_uid, group=munge.pw_gid, extra_groups=[])
        self._wait(lambda: socket_path.exists(), timeout, "munged did not create its socket")

        # slurm.conf, here and at /etc/slurm/slurm.conf
        probe = subprocess.run([_which("slurmd"), "-C"], capture_output=True, text=True, timeout=30,
                               env=clean_env())
        node_line = next((l for l in probe.stdout.splitlines() if l.startswith("NodeName=")), None)
        if probe.returncode != 0 or not node_line:
            raise SlurmUnavailable(f"`slurmd -C` failed: {probe.stderr.strip()}")
        node = node_line.split()[0].split("=", 1)[1]
        # leave a little memory headroom below what slurmd measures
        node_line = re.sub(r"RealMemory=(\d+)", lambda m: f"RealMemory={max(int(m.group(1)) - 256, 512)}",
                           node_line)
        text = string.Template(TEMPLATE.read_text()).substitute(
            node=node, node_line=node_line, base=self.base,
            ctld_port=_free_port(), slurmd_port=_free_port())
        self.conf = self.base / "slurm.conf"
        self.conf.write_text(text)
        ETC_CONF.parent.mkdir(parents=True, exist_ok=True)
        ETC_CONF.write_text(text)
        self._wrote_etc = True

        self._spawn("slurmctld", [_which("slurmctld"), "-D", "-f", str(self.conf)])
        self._spawn("slurmd", [_which("slurmd"), "-D", "-f", str(self.conf), "-N", node])

        def node_idle():
            proc = self.run("sinfo", "--noheader", "--Node", "--format=%T", timeout=10)
            return proc.returncode == 0 and proc.stdout.strip() == "idle"
        self._wait(node_idle, timeout, f"node {node} did not become idle")
        return self

    def _spawn(self, name: str, cmd: list, **kw) -> None:
        out = open(self.base / f"{name}.out", "wb")
        self.procs[name] = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                            env=clean_env(**({"SLURM_CONF": str(self.conf)} if self.conf else {})),
                                            start_new_session=True, **kw)
        out.close()
        (self.base / "pids.json").write_text(json.dumps({k: p.pid for k, p in self.procs.items()}))

    def _wait(self, ok, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            dead = [n for n, p in self.procs.items() if p.poll() is not None]
            if dead:
                raise SlurmUnavailable(f"{', '.join(dead)} exited at start-up\n{self.log_tail()}")
            try:
                if ok():
                    return
            except subprocess.TimeoutExpired:
                pass
            time.sleep(0.2)
        raise SlurmUnavailable(f"{what} within {timeout:.0f} s\n{self.log_tail()}")

    def stop(self, keep: bool = False) -> None:
        """Cancel leftover jobs, stop the daemons by PID, remove the config (and the state dir)."""
        ctld = self.procs.get("slurmctld")
        if ctld and ctld.poll() is None:
            try:
                live = [j["jobid"] for j in self.jobs()
                        if j["state"] in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED")]
                if live:
                    self.run("scancel", *live)
                    end = time.monotonic() + 20
                    while time.monotonic() < end and any(
                            j["state"] in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING")
                            for j in self.jobs()):
                        time.sleep(0.5)
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        for name in ("slurmd", "slurmctld", "munged"):
            proc = self.procs.pop(name, None)
            if proc is not None:
                _stop_pid(proc.pid)
        if self._wrote_etc and ETC_CONF.exists() and f"={self.base}/" in ETC_CONF.read_text(errors="replace"):
            ETC_CONF.unlink()
        self._wrote_etc = False
        if self.base and not keep:
            shutil.rmtree(self.base, ignore_errors=True)
        for attr in ("_lock_fd", "_machine_fd"):
            fd = getattr(self, attr)
            if fd is not None:
                os.close(fd)  # releases the flock
                setattr(self, attr, None)


if __name__ == "__main__":
    ensure_packages()
    cluster = MiniSlurm()
    try:
        cluster.start()
        print(f"SLURM is up: export SLURM_CONF={cluster.conf}  (Ctrl-C stops it)", flush=True)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        cluster.stop()
