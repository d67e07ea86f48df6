from wushe.registry.selectors import PersonFilters, person_list


def test_worker_sees_only_own_community(users, person_a, person_b):
    assert list(person_list(user=users.worker_a)) == [person_a]
    assert list(person_list(user=users.worker_a, filters=PersonFilters(q="zcl"))) == [person_a]
    assert set(person_list(user=users.street_admin)) == {person_a, person_b}
    assert list(person_list(user=users.nobody)) == []
