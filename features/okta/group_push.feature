@okta
Feature: Group Push keeps a group's name and members in step in the app

  Background:
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
    And the user "bob" with:
      | attribute | value           |
      | login     | bob@example.com |
      | email     | bob@example.com |
      | firstName | Bob             |
      | lastName  | Jones           |
    And the user "carol" with:
      | attribute | value             |
      | login     | carol@example.com |
      | email     | carol@example.com |
      | firstName | Carol             |
      | lastName  | White             |
    And "alice" is assigned to the app
    And "bob" is assigned to the app
    And "carol" is assigned to the app
    And the group "Engineering" with members "alice", "bob"

  # okta-wire.md §1.10 "Create" (POST /Groups with "members": []), "Rename" (the path-less
  # replace of {id, displayName} goes with every membership update), "Membership add/remove"
  # (add with [{value, display}], no type), test plan C9312 (group and members created)
  Scenario: pushing a group creates it, then adds its members
    When the group "Engineering" is pushed
    Then the IdP sent:
      | method | path         |
      | POST   | /Groups      |
      | PATCH  | /Groups/{id} |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{
          "op": "add",
          "path": "members",
          "value": [{"display": "alice@example.com"}, {"display": "bob@example.com"}]
        }]
      }
      """
    And the target has the group "Engineering" with members "alice", "bob"
    And Okta logged "Push new group to external application" for "Engineering"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.10 "Membership add/remove" (remove with a members[value eq "…"] path, add
  # with [{value, display}]; each after the name PATCH), test plan C9332, C9333
  Scenario: members added and removed in Okta are added and removed in the app
    Given the group "Engineering" is pushed
    When "carol" is added to the group "Engineering"
    Then the IdP sent:
      | method | path         |
      | PATCH  | /Groups/{id} |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "add", "path": "members", "value": [{"display": "carol@example.com"}]}]}
      """
    When "alice" is removed from the group "Engineering"
    Then the IdP sent:
      | method | path         |
      | PATCH  | /Groups/{id} |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "remove"}]}
      """
    And the target has the group "Engineering" with members "bob", "carol"
    And the target has the user "alice" active
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.10 "Rename" (PATCH replace {id, displayName}, no path), test plan C9315
  Scenario: renaming the group in Okta renames it in the app
    Given the group "Engineering" is pushed
    When the group "Engineering" is renamed to "Engineering EMEA"
    Then the IdP sent:
      | method | path         |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "replace", "value": {"displayName": "Engineering EMEA"}}]}
      """
    And the target has the group "Engineering" with members "alice", "bob"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.10 "Full membership push" (Push Now: replace members with the whole
  # list), test plan C9316
  Scenario: Push Now overwrites the app's membership with Okta's
    Given the group "Engineering" is pushed
    When Push Now runs for the group "Engineering"
    Then the IdP sent:
      | method | path         |
      | PATCH  | /Groups/{id} |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {
        "Operations": [{
          "op": "replace",
          "path": "members",
          "value": [{"display": "alice@example.com"}, {"display": "bob@example.com"}]
        }]
      }
      """
    And the target has the group "Engineering" with members "alice", "bob"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.10 "Unlink pushed group" ("Delete the group in the target app":
  # DELETE /Groups/{id}, 204; users are not deleted), test plan C9318
  Scenario: unlinking the group and deleting it in the app
    Given the group "Engineering" is pushed
    When the group "Engineering" is unlinked, deleting it in the app
    Then the IdP sent:
      | method | path         |
      | DELETE | /Groups/{id} |
    And the target has no group "Engineering"
    And the target has the user "alice" active
    And the target has the user "bob" active
    And Okta logged "Delete group in external application" for "Engineering"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.10 "Unlink pushed group" ("Leave the group in the target app": nothing is
  # sent), test plan C9321
  Scenario: unlinking the group and leaving it in the app
    Given the group "Engineering" is pushed
    When the group "Engineering" is unlinked, leaving it in the app
    Then the IdP sent nothing
    And the target has the group "Engineering" with members "alice", "bob"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.10 "Existence check" (GET /Groups?filter=displayName eq "…" only when Okta
  # has no external group id, e.g. with "Import Groups" cleared), "Create"
  Scenario: with Import Groups off, the push checks whether the group exists before creating it
    Given "Import Groups" is off for the app
    When the group "Engineering" is pushed
    Then the IdP sent:
      | method | path                                                                      |
      | GET    | /Groups?filter=displayName%20eq%20%22Engineering%22&startIndex=1&count=100 |
      | POST   | /Groups                                                                   |
      | PATCH  | /Groups/{id}                                                              |
      | PATCH  | /Groups/{id}                                                              |
    And the target has the group "Engineering" with members "alice", "bob"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.10 ("Import Groups" gives Okta the app's group ids, so a push links to the
  # group of the same name: no POST, then the full membership), test plan C9315 (link, no
  # extra group created), C9338 (import groups). The import reads every group the app holds:
  # @embedded, so it reads only the scenario's own.
  @embedded
  Scenario: a push links to an imported group of the same name
    Given the target already has the group "Engineering"
    And groups are imported
    When the group "Engineering" is pushed
    Then the IdP sent:
      | method | path         |
      | PATCH  | /Groups/{id} |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "replace", "path": "members"}]}
      """
    And the target has the group "Engineering" with members "alice", "bob"
    And Okta logged "Push new group to external application" for "Engineering" saying "linked to an existing app group"
    And Okta has no open tasks
    And the responses match the snapshot
