"""A lab robot runs a campaign over the ConnectLab stream for three rounds: each proposal is made,
measured (a made-up hardness of the composition) and reported; each acknowledgement names the catalog
material and measurements written, and the scientist sees the same over REST."""

import unittest
import uuid

import mihub
from suite import hub, needs_suite


def hardness(composition):
    """The robot's 'experiment': a smooth function of the Fe-Ni-Cu fractions, in GPa."""
    fe, ni, cu = (composition.get(e, 0.0) for e in ("Fe", "Ni", "Cu"))
    return 2.0 + 3.0 * fe * ni + 1.5 * cu - 0.5 * fe


@needs_suite
class RobotLoop(unittest.TestCase):

    def setUp(self):
        self.scientist = hub("MIHUB_TOKEN")
        self.robot = hub("MIHUB_ROBOT_TOKEN")
        self.campaign = self.scientist.create_campaign({
            "name": "python robot loop " + uuid.uuid4().hex[:8],
            "objectives": [{"property": "hardness", "direction": "maximise", "unit": "GPa"}],
            "designSpace": {"composition": {"elements": [{"element": "Fe", "maxFraction": 1},
                                                         {"element": "Ni", "maxFraction": 1},
                                                         {"element": "Cu", "maxFraction": 0.5}],
                                            "step": 0.1}},
            "budget": {"maxExperiments": 3}, "seed": 7})

    def tearDown(self):
        self.scientist.close()
        self.robot.close()

    def test_three_rounds(self):
        self.assertEqual("active", self.campaign.status)
        self.assertIsNone(self.campaign.results_dataset_id)
        acks = {}
        with self.robot.lab_session(self.campaign.id, "py-robot-1", capacity=1) as lab:
            self.assertTrue(lab.session_id)
            self.assertEqual(self.campaign.id, lab.campaign["id"])
            for round_ in range(3):
                proposal = lab.next_proposal(timeout=60)
                self.assertIsNotNone(proposal, f"round {round_ + 1}: the session ended early ({lab.finished})")
                self.assertEqual(("pending", self.campaign.id), (proposal.state, proposal.campaign_id))
                self.assertAlmostEqual(1.0, sum(proposal.composition.values()), places=6)
                if round_ == 0:
                    # a proposal the robot does not hold, and a unit hardness cannot be in: refused, the
                    # session goes on and the proposal stays pending
                    with self.assertRaises(mihub.FailedPrecondition) as refused:
                        lab.report(str(uuid.uuid4()), {"hardness": (1.0, "GPa")})
                    self.assertIsInstance(refused.exception, mihub.LabRejected)
                    self.assertIn("not pending at robot py-robot-1", str(refused.exception))
                    with self.assertRaises(mihub.BadRequest) as unit:
                        lab.report(proposal.id, {"hardness": (1.0, "kg")})
                    self.assertEqual(proposal.id, unit.exception.proposal_id)
                value = hardness(proposal.composition)
                # round 2 reports in MPa: any unit of the property is accepted and converted
                ack = lab.report(proposal.id, {"hardness": (value * 1000, "MPa") if round_ == 1 else (value, "GPa")},
                                 method="nanoindentation", lab_sample_id=f"py-robot-1/{round_ + 1}")
                self.assertEqual((proposal.id, "completed", False), (ack.proposal_id, ack.state, ack.duplicate))
                self.assertTrue(ack.material_id, ack)
                self.assertEqual(1, len(ack.measurement_ids), ack)
                acks[proposal.id] = (ack, value)
            self.assertIsNone(lab.next_proposal(timeout=60), "the budget of three is used up")
        self.assertEqual("budget_exhausted", lab.finished.reason)
        self.assertEqual(3, len(set(a.material_id for a, _ in acks.values())))

        # the scientist sees the same through the gateway
        campaign = self.scientist.campaign(self.campaign.id)
        self.assertTrue(campaign.results_dataset_id, campaign.spec)
        self.assertEqual(3, campaign.progress.get("completed"))
        proposals = self.scientist.proposals(self.campaign.id)
        self.assertEqual(set(acks), {p.id for p in proposals})
        for p in proposals:
            ack, value = acks[p.id]
            self.assertEqual(("completed", ack.material_id, ack.measurement_ids),
                             (p.state, p.material_id, p.measurement_ids))
            material = self.scientist.material(p.material_id)
            self.assertEqual(campaign.results_dataset_id, material.dataset_id)
            [measurement] = [m for m in material.measurements if m.id in ack.measurement_ids]
            self.assertEqual((self.campaign.id, p.id), (measurement.campaign_id, measurement.proposal_id))
            self.assertAlmostEqual(value, measurement.value, places=6)
        best = max(v for _, v in acks.values())
        self.assertAlmostEqual(best, campaign.best["values"][0]["value"]["value"], places=6)

    def test_a_member_without_the_contributor_role_is_refused_its_results(self):
        member = hub("MIHUB_MEMBER_TOKEN")
        try:
            # dave (acme, member) may follow the campaign and be handed proposals, not write results
            with member.lab_session(self.campaign.id, "py-robot-dave", capacity=1) as lab:
                proposal = lab.next_proposal(timeout=60)
                self.assertIsNotNone(proposal)
                with self.assertRaises(mihub.PermissionDenied) as refused:
                    lab.report(proposal.id, {"hardness": (3.0, "GPa")})
                self.assertIsInstance(refused.exception, mihub.LabRejected)
                self.assertEqual(("PERMISSION_DENIED", 403), (refused.exception.code, refused.exception.status))
                self.assertIn("contributor", str(refused.exception))
            self.assertEqual("pending", self.scientist.proposals(self.campaign.id)[0].state)
        finally:
            member.close()

    def test_a_hidden_campaign_is_not_found(self):
        with self.assertRaises(mihub.NotFound):
            with self.robot.lab_session(str(uuid.uuid4()), "py-robot-2") as lab:
                lab.next_proposal(timeout=30)


if __name__ == "__main__":
    unittest.main()
