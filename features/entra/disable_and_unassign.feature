@entra
Feature: Disabling, re-enabling and unassigning users, and SkipOutOfScopeDeletions

  Background:
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | department        | Sales             |
      | accountEnabled    | true              |
    And "alice" is assigned to the app

  # entra-wire.md §1.5 (accountEnabled false → IsSoftDeleted → the active Switch yields
  # "False"; legacy PATCH Replace active with the string "False"; the user stays readable),
  # §1.6 (enabled again → Replace active "True"), §4.5 (log actions Disable and Update)
  Scenario: a user blocked from sign-in is disabled, then enabled again
    Given the provisioning cycle runs
    When "alice" is disabled
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
      }
      """
    And the target has the user "alice" inactive
    And the provisioning log has "Disable" "Success" for "alice"
    When "alice" is re-enabled
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "active", "value": "True"}]}
      """
    And the target has the user "alice" active
    And the responses match the snapshot

  # entra-wire.md §1.8 (leaving scope by unassignment = disable), §1.5 (the disable PATCH;
  # the user is not deleted)
  Scenario: an unassigned user is disabled, not deleted
    Given the provisioning cycle runs
    When "alice" is unassigned from the app
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
      """
    And the target has the user "alice" inactive
    And the provisioning log has "Disable" "Success" for "alice"
    And the responses match the snapshot

  # entra-wire.md §1.6 (assigned again → Replace active "True")
  Scenario: a user assigned again is re-enabled
    Given the provisioning cycle runs
    When "alice" is unassigned from the app
    And the provisioning cycle runs
    Then the target has the user "alice" inactive
    When "alice" is assigned to the app
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "active", "value": "True"}]}
      """
    And the target has the user "alice" active
    And the responses match the snapshot

  # entra-wire.md §1.5 (SkipOutOfScopeDeletions=True stops the disable of unassigned users),
  # §1.8, §4.5 (the log shows the disable as skipped)
  Scenario: with SkipOutOfScopeDeletions an unassigned user is left as it is
    Given the job secret SkipOutOfScopeDeletions is "True"
    And the provisioning cycle runs
    When "alice" is unassigned from the app
    And the provisioning cycle runs
    Then the IdP sent nothing
    And the target has the user "alice" active
    And the provisioning log has "Disable" "Skipped" for "alice"
    And the responses match the snapshot

  # entra-wire.md §1.5 (SkipOutOfScopeDeletions covers out-of-scope and unassigned users,
  # not users blocked from sign-in: those are still disabled)
  Scenario: SkipOutOfScopeDeletions does not stop the disable of a blocked user
    Given the job secret SkipOutOfScopeDeletions is "True"
    And the provisioning cycle runs
    When "alice" is disabled
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the target has the user "alice" inactive
    And the responses match the snapshot

  # entra-wire.md §3.6 (scoping filters on source attributes; a changed filter starts an
  # initial cycle; objects that fall out of scope are disabled), §1.8
  Scenario: a user who no longer passes the scoping filter is disabled
    Given a scoping filter with:
      | attribute  | operator | value |
      | department | EQUALS   | Sales |
    And the provisioning cycle runs
    When "alice"'s "department" is changed to "Marketing"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "Operations": [
          {"op": "Replace", "path": "active", "value": "False"},
          {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Marketing"}
        ]
      }
      """
    And the target has the user "alice" inactive
    And the responses match the snapshot

  # entra-wire.md §3.6 (clauses of one filter are ANDed, filters are ORed; a null source
  # makes a clause false), §1.2 (a user out of scope is never created)
  Scenario: a user outside every scoping filter is not provisioned
    Given a scoping filter with:
      | attribute  | operator    | value |
      | department | EQUALS      | Sales |
      | jobTitle   | IS NOT NULL |       |
    And a scoping filter with:
      | attribute         | operator  | value         |
      | userPrincipalName | ENDS_WITH | @fabrikam.com |
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
    And the provisioning log has "Other" "Skipped" for "alice"
    And the target has no user "alice"
    And the responses match the snapshot

  # entra-wire.md §1.5 (SKIP also covers users who leave the scoping filters), §3.6
  Scenario: with SkipOutOfScopeDeletions a user leaving the scoping filter is left as it is
    Given the job secret SkipOutOfScopeDeletions is "True"
    And a scoping filter with:
      | attribute  | operator | value |
      | department | EQUALS   | Sales |
    And the provisioning cycle runs
    When "alice"'s "department" is changed to "Marketing"
    And the provisioning cycle runs
    Then the IdP sent nothing
    And the target has the user "alice" active
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Sales"
    And the responses match the snapshot

  # entra-wire.md §1.5 (with no active mapping, i.e. no soft-delete support, the same events
  # produce a DELETE), §3.1 (the mapping deleted)
  Scenario: without an active mapping an unassigned user is deleted
    Given the user mappings are reduced to "userName" and "displayName"
    And the provisioning cycle runs
    When "alice" is unassigned from the app
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | DELETE | /Users/{id} |
    And the target has no user "alice"
    And the provisioning log has "Delete" "Success" for "alice"
    And the responses match the snapshot
