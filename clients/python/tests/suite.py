"""What the tests against a running suite need, from the environment (PythonClientIT sets it all):

MIHUB_URL             the gateway, e.g. http://127.0.0.1:28080
MIHUB_PLANNING_GRPC   the planning service's gRPC address, e.g. 127.0.0.1:28083
MIHUB_TOKEN           a scientist's token (alice: acme, contributor)
MIHUB_ROBOT_TOKEN     the lab robot's client-credentials token (lab-robot: acme, contributor)
MIHUB_MEMBER_TOKEN    a member without the contributor role (dave: acme)
MIHUB_EXPIRING_TOKEN  a real token that expires within seconds

Without MIHUB_URL those tests are skipped (the offline ones still run).
"""

import base64
import json
import os
import unittest

import mihub

URL = os.environ.get("MIHUB_URL")
needs_suite = unittest.skipUnless(URL, "MIHUB_URL is not set: no running suite to test against")


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise AssertionError(f"{name} is not set (see tests/suite.py)")
    return value


def hub(token_variable: str = "MIHUB_TOKEN") -> mihub.Hub:
    return mihub.Hub(URL, env(token_variable), planning_target=os.environ.get("MIHUB_PLANNING_GRPC"))


def expires_at(token: str) -> int:
    """The exp claim of a JWT (seconds since the epoch)."""
    payload = token.split(".")[1]
    return int(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"])
