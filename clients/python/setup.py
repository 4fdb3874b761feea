"""Builds the mihub client; the gRPC stubs are generated here, at build time, never committed.

`build_py` runs `protoc` with `grpc_python_plugin` (Debian: protobuf-compiler, protobuf-compiler-grpc)
over the `api` module's .proto files and writes the stubs next to the hand-written code in the build
folder: `mihub.<domain>.v1.<domain>_pb2` / `_pb2_grpc`. The google.rpc status protos the services put
in their error details (proto/google/rpc, the copies the Java build takes from
com.google.api.grpc:proto-google-common-protos) become `mihub._rpc`, so they cannot clash with
googleapis-common-protos if that is installed too. Debian's python3-grpc-tools is not used: it is grpc-tools
1.14 (2018), whose protoc predates proto3 `optional`, which the api uses.

Environment: MIHUB_API_PROTO (default ../../api/src/main/proto), PROTOC (default protoc),
GRPC_PYTHON_PLUGIN (default grpc_python_plugin).
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RPC_PROTOS = ["google/rpc/status.proto", "google/rpc/error_details.proto"]


def _tool(variable, name):
    path = os.environ.get(variable) or shutil.which(name)
    if not path or not os.path.exists(path):
        raise SystemExit(f"mihub-client: '{name}' not found (set {variable}); on Debian: "
                         "apt-get install protobuf-compiler protobuf-compiler-grpc")
    return path


def _api_protos():
    root = Path(os.environ.get("MIHUB_API_PROTO") or HERE / ".." / ".." / "api" / "src" / "main" / "proto").resolve()
    files = sorted(p.relative_to(root).as_posix() for p in root.glob("mihub/*/v*/*.proto"))
    if not files:
        raise SystemExit(f"mihub-client: no mihub/*/v*/*.proto under {root} (set MIHUB_API_PROTO to the api "
                         "module's src/main/proto)")
    return root, files


def _includes():
    # protoc finds the well-known types (google/protobuf/*.proto) itself when they sit in ../include of
    # its binary; Debian's libprotobuf-dev puts them in /usr/include
    return ["-I/usr/include"] if Path("/usr/include/google/protobuf/any.proto").exists() else []


def generate(out):
    """Writes the stubs of every api .proto and of the google.rpc status protos into the folder `out`."""
    protoc = _tool("PROTOC", "protoc")
    plugin = _tool("GRPC_PYTHON_PLUGIN", "grpc_python_plugin")
    root, files = _api_protos()
    out = Path(out)
    # every sub-package of mihub is generated (the hand-written modules have none): drop an earlier
    # build's, so a proto removed from the api leaves no stale stub behind
    for stale in (out / "mihub").glob("*/"):
        if stale.is_dir() and stale.name != "__pycache__":
            shutil.rmtree(stale)
    subprocess.run([protoc, f"-I{root}", *_includes(), f"--python_out={out}", f"--grpc_python_out={out}",
                    f"--plugin=protoc-gen-grpc_python={plugin}", *files], check=True)
    for package in {Path(f).parent for f in files}:
        for level in [package, *package.parents][:-1]:
            (out / level / "__init__.py").touch()
    with tempfile.TemporaryDirectory() as rpc:
        subprocess.run([protoc, f"-I{HERE / 'proto'}", *_includes(), f"--python_out={rpc}", *RPC_PROTOS], check=True)
        target = out / "mihub" / "_rpc"
        target.mkdir(parents=True, exist_ok=True)
        (target / "__init__.py").write_text('"""google.rpc status and error details (generated)."""\n')
        for proto in RPC_PROTOS:
            name = Path(proto).stem + "_pb2.py"
            shutil.copyfile(Path(rpc) / "google" / "rpc" / name, target / name)


class BuildWithStubs(build_py):
    """The usual build, then the generated stubs into the same build folder."""

    def run(self):
        super().run()
        generate(self.build_lib)


setup(cmdclass={"build_py": BuildWithStubs})
