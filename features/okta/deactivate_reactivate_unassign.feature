@okta
Feature: Unassigning or deactivating a user sets it inactive in the app, never deletes it

  Background:
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
    And "alice" is assigned to the app

  # okta-wire.md §1.6 (OIN apps deactivate with a path-less PATCH replace {"active": false}),
  # §1.7 (unassign works like deactivate; DELETE /Users is never sent; the user stays readable
  # with active false), §1.8 (re-assign: the existence check, PATCH {"active": true}
  # [INFERRED by symmetry], then GET and PUT of the profile), test plan C9293 (same id)
  Scenario: unassigning deactivates the user; assigning it again reactivates it
    When "alice" is unassigned from the app
    Then the IdP sent:
      | method | path        |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": false}}]
      }
      """
    And the target has the user "alice" inactive
    And Okta logged "Push user deactivation in external application" for "alice"
    When "alice" is assigned to the app
    Then the IdP sent:
      | method | path                                                                           |
      | GET    | /Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100 |
      | PATCH  | /Users/{id}                                                                    |
      | GET    | /Users/{id}                                                                    |
      | PUT    | /Users/{id}                                                                    |
    And the last request body includes:
      """
      {"userName": "alice@example.com", "active": true}
      """
    And the target has the user "alice" active
    And Okta logged "Verify user exists in external application" for "alice"
    And Okta logged "Push user reactivation in external application" for "alice"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.7 (suspending sends nothing; deleting an already deactivated Okta user
  # sends nothing), §1.6 (deactivating the Okta user deactivates it in the app), test plan
  # C9295 (suspend: sign-in blocked, app memberships kept), C9292 (deactivate)
  Scenario: suspend sends nothing, deactivate sends a PATCH, delete sends nothing
    When "alice" is suspended
    Then the IdP sent nothing
    And Okta logged "No request sent to external application" for "alice" saying "suspending a user sends nothing"
    And the target has the user "alice" active
    When "alice" is unsuspended
    Then the IdP sent nothing
    When "alice" is deactivated
    Then the IdP sent:
      | method | path        |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "replace", "value": {"active": false}}]}
      """
    And the target has the user "alice" inactive
    When "alice" is hard deleted
    Then the IdP sent nothing
    And Okta logged "No request sent to external application" for "alice" saying "deleting a deactivated user sends nothing"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.8 and test plan C9293, as Okta's CRUD test runs it (§4.2 steps 7–11):
  # deactivate the Okta user, activate it, assign the app again; the app has it active with the
  # same id
  Scenario: a deactivated user, reactivated and assigned again, is active in the app
    When "alice" is deactivated
    And "alice" is reactivated
    And "alice" is assigned to the app
    Then the IdP sent:
      | method | path                                                                           |
      | GET    | /Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100 |
      | PATCH  | /Users/{id}                                                                    |
      | GET    | /Users/{id}                                                                    |
      | PUT    | /Users/{id}                                                                    |
    And the target has the user "alice" active
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.6 (removal from a group that is assigned to the app deactivates the user),
  # test plan C9307 (a group assignment creates its members)
  Scenario: removal from the group that assigns the user deactivates it
    Given the user "bob" with:
      | attribute | value           |
      | login     | bob@example.com |
      | email     | bob@example.com |
      | firstName | Bob             |
      | lastName  | Jones           |
    And the group "Sales" with members "bob"
    And the group "Sales" is assigned to the app
    When "bob" is removed from the group "Sales"
    Then the IdP sent:
      | method | path        |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "replace", "value": {"active": false}}]}
      """
    And the target has the user "bob" inactive
    And the target has the user "alice" active
    And Okta has no open tasks
    And the responses match the snapshot
