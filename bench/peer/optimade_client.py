#!/usr/bin/python3
"""pymatgen's OPTIMADE client (pymatgen.ext.optimade.OptimadeRester) against a running mihub.

Run with the suite up (./mihub up); it needs the Debian package python3-pymatgen:

    /usr/bin/python3 bench/peer/optimade_client.py [http://localhost:8080] [token]

As alice (the token, default from ./mihub token alice) it loads a PUBLIC dataset with three
crystal structures through the REST API, then queries /optimade with pymatgen's own client, which
validates the provider through /optimade/v1/info, builds the filter, follows links.next and turns
each entry into a pymatgen Structure. It checks the structures pymatgen built against what was
loaded and prints each check and the time of each query.
"""
import json
import subprocess
import sys
import time
import urllib.request

from pymatgen.core import Composition, Element
from pymatgen.ext.optimade import OptimadeRester

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
TOKEN = sys.argv[2] if len(sys.argv) > 2 else subprocess.check_output(["./mihub", "token", "alice"], text=True).strip()


def rest(method, path, body, content_type):
    request = urllib.request.Request(BASE + path, data=body.encode(), method=method, headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": content_type})
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read())


def lattice(a, c=None):
    c = c or a
    return {"a": {"x": a, "y": 0, "z": 0}, "b": {"x": 0, "y": a, "z": 0}, "c": {"x": 0, "y": 0, "z": c}}


def site(species, x, y, z, occupancy=None):
    out = {"species": species, "fractional": {"x": x, "y": y, "z": z}}
    if occupancy is not None:
        out["occupancy"] = occupancy
    return out


stamp = str(int(time.time()))
RECORDS = [
    {"sample_key": "rutile-" + stamp, "formula": "TiO2", "tags": ["interop-" + stamp],
     "structure": {"lattice": lattice(4.594, 2.959), "sites": [
         site("Ti", 0, 0, 0), site("Ti", 0.5, 0.5, 0.5), site("O", 0.3053, 0.3053, 0),
         site("O", 0.6947, 0.6947, 0), site("O", 0.8053, 0.1947, 0.5), site("O", 0.1947, 0.8053, 0.5)]},
     "measurements": [{"property": "band_gap", "value": {"value": 3.0, "unit": "eV"}}]},
    {"sample_key": "salt-" + stamp, "formula": "NaCl", "tags": ["interop-" + stamp],
     "structure": {"lattice": lattice(5.64), "sites": [site("Na", 0, 0, 0), site("Cl", 0.5, 0.5, 0.5)]}},
    {"sample_key": "wustite-" + stamp, "formula": "Fe0.9O", "tags": ["interop-" + stamp],
     "structure": {"lattice": lattice(4.3), "sites": [site("Fe", 0, 0, 0, 0.9), site("O", 0.5, 0.5, 0.5)]}},
]

dataset = rest("POST", "/api/v1/datasets", json.dumps({"title": "OPTIMADE interop " + stamp, "licence": "CC-BY-4.0",
                                                         "visibility": "PUBLIC"}), "application/json")["id"]
rest("POST", "/api/v1/datasets/%s/records" % dataset, "\n".join(json.dumps(r) for r in RECORDS) + "\n",
     "application/x-ndjson")
print("loaded PUBLIC dataset %s with %d structures" % (dataset, len(RECORDS)))

failures = 0


def check(what, ok):
    global failures
    failures += 0 if ok else 1
    print(("ok    " if ok else "FAIL  ") + what)


rester = OptimadeRester(BASE + "/optimade")
check("pymatgen validated the provider (prefix %s)" % rester._providers[BASE + "/optimade"].prefix,
      rester._providers[BASE + "/optimade"] is not None)

queries = [
    ("elements HAS ALL Ti, O (anonymous)", dict(elements=["Ti", "O"])),
    ("nelements=2 (anonymous)", dict(nelements=2)),
]
anonymous = {}
for label, arguments in queries:
    start = time.perf_counter()
    found = rester.get_structures(**arguments).get(BASE + "/optimade", {})
    elapsed = time.perf_counter() - start
    anonymous[label] = found
    print("      %s: %d structures in %.0f ms" % (label, len(found), elapsed * 1000))
    check(label + " returns structures pymatgen could build", len(found) > 0)

start = time.perf_counter()
ours = rester.get_structures_with_filter('_mihub_dataset_id="%s"' % dataset).get(BASE + "/optimade", {})
print("      the loaded dataset: %d structures in %.0f ms" % (len(ours), (time.perf_counter() - start) * 1000))
check("all three loaded structures come back", len(ours) == 3)


def formula(structure):
    """The reduced formula of the real elements (pymatgen cannot name its own vacancy species in one)."""
    return Composition({e: n for e, n in structure.composition.items() if isinstance(e, Element)}).reduced_formula


formulas = sorted(formula(s) for s in ours.values())
check("pymatgen reads them as %s" % formulas, formulas == sorted(["TiO2", "NaCl", "Fe0.9O1"]))
rutile = [s for s in ours.values() if formula(s) == "TiO2"]
check("rutile: a = 4.594 Å, c = 2.959 Å, 6 sites",
      len(rutile) == 1 and abs(rutile[0].lattice.a - 4.594) < 1e-9 and abs(rutile[0].lattice.c - 2.959) < 1e-9
      and len(rutile[0]) == 6)
check("rutile's second Ti is at the cell centre (fractional 0.5, 0.5, 0.5)",
      len(rutile) == 1 and all(abs(v - 0.5) < 1e-9 for v in rutile[0][1].frac_coords))
wustite = [s for s in ours.values() if formula(s) == "Fe0.9O1"]
check("the partly occupied Fe site is Fe 0.9 with a vacancy", len(wustite) == 1
      and abs(wustite[0][0].species.get(Element("Fe"), 0) - 0.9) < 1e-9
      and any("vacancy" in str(species).lower() for species in wustite[0][0].species))

rester.session.headers["Authorization"] = "Bearer " + TOKEN
start = time.perf_counter()
private = rester.get_structures(elements=["Ti", "O"]).get(BASE + "/optimade", {})
print("      elements HAS ALL Ti, O as alice: %d structures in %.0f ms" % (len(private),
                                                                          (time.perf_counter() - start) * 1000))
check("with alice's token pymatgen sees what anonymous callers see and more",
      set(anonymous[queries[0][0]]) <= set(private))

print("%d check(s) failed" % failures if failures else "all checks passed")
sys.exit(1 if failures else 0)
