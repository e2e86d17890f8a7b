@entra
Feature: A user deleted in Entra is disabled, then DELETEd when the recycle bin lets go

  Background:
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    And the provisioning cycle runs

  # entra-wire.md §1.5 (a soft delete, i.e. the recycle bin, disables), §1.7 (30 days later the
  # automatic purge sends DELETE /Users/{id} with no body, expecting 204)
  Scenario: a soft-deleted user is disabled at once and DELETEd 30 days later
    When "alice" is soft deleted
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
    When 29 days pass
    And the provisioning cycle runs
    Then the IdP sent nothing
    And the target has the user "alice" inactive
    When 1 day passes
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | DELETE | /Users/{id} |
    And the target has no user "alice"
    And the responses match the snapshot

  # entra-wire.md §1.7 (an admin who purges the user from the recycle bin early brings the
  # DELETE forward)
  Scenario: a user purged from the recycle bin early is DELETEd at the next cycle
    When "alice" is soft deleted
    And the provisioning cycle runs
    And "alice" is hard deleted
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | DELETE | /Users/{id} |
    And the target has no user "alice"
    And the responses match the snapshot

  # entra-wire.md §1.6 (restored from the recycle bin → Replace active "True")
  Scenario: a user restored from the recycle bin is re-enabled
    When "alice" is soft deleted
    And the provisioning cycle runs
    And "alice" is restored
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

  # entra-wire.md §1.7 ("Known gap": a user unassigned, and so disabled, before being deleted
  # from Entra is no longer managed and never gets the DELETE), §1.8 (no DELETE follows later)
  Scenario: a user unassigned before the soft delete is never DELETEd
    When "alice" is unassigned from the app
    And the provisioning cycle runs
    Then the target has the user "alice" inactive
    When "alice" is soft deleted
    And the provisioning cycle runs
    Then the IdP sent nothing
    When 30 days pass
    And the provisioning cycle runs
    Then the IdP sent nothing
    And the target has the user "alice" inactive
    And the responses match the snapshot

  # entra-wire.md §1.7 (the same gap when the unassigned user is deleted outright)
  Scenario: a user unassigned and then hard deleted is never DELETEd
    When "alice" is unassigned from the app
    And the provisioning cycle runs
    And "alice" is hard deleted
    And the provisioning cycle runs
    Then the IdP sent nothing
    And the target has the user "alice" inactive
    And the responses match the snapshot
