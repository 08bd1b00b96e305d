"""Each role's group holds exactly the permissions it needs."""


def test_roles_hold_the_right_permissions(researcher, editor, site_admin):
    assert not researcher.has_perm("kb.add_claim") and not researcher.has_perm("kb.add_annotation")
    assert editor.has_perm("kb.add_claim") and editor.has_perm("kb.change_claim") and editor.has_perm("kb.add_annotation")
    assert not editor.has_perm("kb.hide_annotation") and not editor.has_perm("kb.add_source")
    assert site_admin.has_perm("kb.hide_annotation") and site_admin.has_perm("kb.add_source") and site_admin.is_staff
