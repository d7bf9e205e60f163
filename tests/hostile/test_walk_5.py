"""Shard 5 of the hostile-input walk (tests/hostile/walk.py): a file of its own, so that a test worker of its own
can walk it."""

import pytest

from tests.hostile.walk import walk_placeholders, walk_real_objects

pytestmark = pytest.mark.slow  # collected first, so that a test worker starts it early (tests/conftest.py)
SHARD = 5


def test_no_route_answers_hostile_input_with_a_server_error(app, walkers):
    walk_placeholders(app, walkers, SHARD)


def test_real_objects_and_their_forms_answer_hostile_input_without_a_server_error(app, walkers, real_objects):
    walk_real_objects(app, walkers, real_objects, SHARD)
