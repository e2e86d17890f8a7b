@okta
Feature: A changed Okta password is synced to the app

  # okta-wire.md §1.9 (OIN apps sync the password by PATCH; the body is undocumented: a
  # path-less replace {"password": …} like Okta's other PATCHes is [UNVERIFIED]), test plan
  # C9301 (the app's password matches Okta's)
  Scenario: an OIN app gets the new password by PATCH
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
    And "alice" is assigned to the app
    When "alice"'s password is changed to "S3cond-Passw0rd!"
    Then the IdP sent:
      | method | path        |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"password": "S3cond-Passw0rd!"}}]
      }
      """
    And Okta logged "Push user's password to external application" for "alice"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.9 (AIW apps carry the password in the full PUT body, as the 2018 capture of
  # §1.4 shows), §1.4 (GET, then PUT)
  Scenario: an AIW app gets the new password in a full PUT
    Given an Okta org with an AIW app
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
    And "alice" is assigned to the app
    When "alice"'s password is changed to "S3cond-Passw0rd!"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"userName": "alice@example.com", "name": {"givenName": "Alice"}, "password": "S3cond-Passw0rd!"}
      """
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.9 (password sync is the To App "Sync Password" feature), test plan C9306
  # (the To App features an admin enables)
  Scenario: with Sync Password off, a changed password is not sent
    Given an Okta org
    And "Sync Password" is off for the app
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
    And "alice" is assigned to the app
    When "alice"'s password is changed to "S3cond-Passw0rd!"
    Then the IdP sent nothing
    And Okta logged "No request sent to external application" for "alice" saying "Sync Password is off"
    And the responses match the snapshot
