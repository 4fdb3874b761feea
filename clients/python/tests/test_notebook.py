"""A notebook-style session of a materials scientist: make a dataset from a list of dicts, see a bad
upload refused row by row, export it, search it, train a model with progress and predict."""

import unittest
import uuid

import mihub
from suite import hub, needs_suite

GAPS = {  # textbook band gaps at 300 K, eV
    "Si": 1.12, "Ge": 0.66, "C": 5.47, "GaAs": 1.42, "GaP": 2.26, "GaN": 3.4, "InP": 1.34, "InAs": 0.36,
    "AlN": 6.2, "AlP": 2.45, "ZnO": 3.37, "ZnS": 3.68, "ZnSe": 2.7, "ZnTe": 2.26, "CdS": 2.42, "CdSe": 1.74,
    "CdTe": 1.49, "SiC": 3.26, "MgO": 7.8, "TiO2": 3.03,
}


@needs_suite
class Notebook(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.hub = hub("MIHUB_TOKEN")
        cls.dataset = cls.hub.create_dataset("python notebook gaps " + uuid.uuid4().hex[:8],
                                             description="textbook band gaps", licence="CC-BY-4.0")
        cls.ingested = cls.hub.ingest(cls.dataset.id, [
            {"formula": formula, "sample_id": f"nb-{i}", "band_gap [eV]": gap, "condition.temperature [K]": 300}
            for i, (formula, gap) in enumerate(GAPS.items())], idempotency_key="nb-" + cls.dataset.id)

    @classmethod
    def tearDownClass(cls):
        cls.hub.close()

    def test_1_the_caller_and_the_dataset(self):
        me = self.hub.me()
        self.assertEqual("acme", me.org)
        self.assertIn("contributor", me.roles)
        self.assertEqual(("private", "acme"), (self.dataset.visibility, self.dataset.owner_org))
        self.assertEqual(("committed", len(GAPS), len(GAPS)),
                         (self.ingested.outcome, self.ingested.rows_written, self.ingested.measurements_written))
        self.assertEqual(len(GAPS), self.hub.dataset(self.dataset.id).row_count)

    def test_2_the_same_upload_again_is_replayed_and_a_bad_one_writes_nothing(self):
        again = self.hub.ingest(self.dataset.id, [
            {"formula": formula, "sample_id": f"nb-{i}", "band_gap [eV]": gap, "condition.temperature [K]": 300}
            for i, (formula, gap) in enumerate(GAPS.items())], idempotency_key="nb-" + self.dataset.id)
        self.assertEqual("replayed", again.outcome)
        version = self.hub.dataset(self.dataset.id).version
        with self.assertRaises(mihub.BadRequest) as refused:
            self.hub.ingest(self.dataset.id, "formula,band_gap [eV]\nGaSb,0.73\nXx2,1.0\nInSb,banana\n")
        rows = {(r.row, r.column) for r in refused.exception.rejections}
        self.assertEqual({(2, "formula"), (3, "band_gap [eV]")}, rows, refused.exception.rejections)
        self.assertEqual(400, refused.exception.status)
        self.assertEqual(version, self.hub.dataset(self.dataset.id).version)

    def test_3_export_and_search(self):
        rows = self.hub.export_rows(self.dataset.id)
        self.assertEqual(sorted(GAPS), sorted(r["formula"] for r in rows))
        wide = self.hub.search(dataset=self.dataset.id, property="band_gap", min=3000, unit="meV", sort="-band_gap")
        self.assertEqual([f for f, g in sorted(GAPS.items(), key=lambda x: -x[1]) if g >= 3.0],
                         [m.formula for m in wide])
        self.assertAlmostEqual(7.8, wide[0].value("band_gap"), places=6)
        zinc = self.hub.search(dataset=self.dataset.id, elements=["Zn"], match="all")
        self.assertEqual({"ZnO", "ZnS", "ZnSe", "ZnTe"}, {m.formula for m in zinc})
        with self.assertRaises(mihub.NotFound):
            self.hub.dataset(str(uuid.uuid4()))

    def test_4_train_with_progress_then_predict(self):
        with self.assertRaises(mihub.BadRequest) as typo:
            self.hub.start_training("typo", [self.dataset], "band_gap", hyperparameters={"nTress": 20})
        self.assertIn("hyperparameters.nTress", [e.field for e in typo.exception.field_errors] + [typo.exception.detail])
        seen = []
        model = self.hub.train("nb-gap", [self.dataset], "band_gap", hyperparameters={"nTrees": 20}, k_folds=3,
                               seed=7, progress=seen.append, timeout=300)
        self.assertEqual("succeeded", seen[-1].state)
        self.assertTrue(all(a.progress <= b.progress for a, b in zip(seen, seen[1:])), [j.progress for j in seen])
        self.assertEqual(("band_gap", len(GAPS)), (model.target_property, model.training_rows))
        self.assertIn("mae", model.metrics)
        predictions = self.hub.predict(model, ["GaAs", "ZnSe", "Xx2"])
        self.assertEqual(3, len(predictions))
        gaas, znse, bad = predictions
        for p in (gaas, znse):
            self.assertIsNotNone(p.mean)
            self.assertGreater(p.std, 0)
            self.assertLessEqual(p.interval95[0], p.mean)
            self.assertLessEqual(p.mean, p.interval95[1])
        self.assertEqual("eV", gaas.unit)
        self.assertIsNone(bad.mean)
        self.assertEqual("unknown_element", bad.error["code"])


if __name__ == "__main__":
    unittest.main()
