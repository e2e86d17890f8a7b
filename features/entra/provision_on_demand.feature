@entra
Feature: Provision on demand sends one object's requests at once, always in the legacy shapes

  # entra-wire.md §1.13 (Test connection, Import, Scope, Match, Action: the same requests as a
  # cycle, for one object), §1.2 (the POST)
  Scenario: a new user is provisioned on demand
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    When provisioning on demand runs for "alice"
    Then the IdP sent:
      | method | path   | query                                  |
      | GET    | /Users | filter=userName eq "{guid}"            |
      | GET    | /Users | filter=userName eq "alice@contoso.com" |
      | POST   | /Users |                                        |
    And the target has the user "alice" active
    And the responses match the snapshot

  # entra-wire.md §1.13 and §2 (the aadOptscim062020 flag is not applied to on-demand runs:
  # PascalCase ops, one operation per attribute with a path), contrasted with the cycle's
  # path-less merged replace (§1.3)
  Scenario: with the aadOptscim062020 flag an on-demand update still uses one path per attribute
    Given an Entra ID tenant with the aadOptscim062020 flag
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice Smith       |
      | jobTitle          | Buyer             |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "displayName" is changed to "Alice Jones"
    And "alice"'s "jobTitle" is changed to "Lead Buyer"
    And provisioning on demand runs for "alice"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users      |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "Operations": [
          {"op": "Replace", "path": "displayName", "value": "Alice Jones"},
          {"op": "Replace", "path": "title", "value": "Lead Buyer"}
        ]
      }
      """
    When "alice"'s "displayName" is changed to "Alice Brown"
    And "alice"'s "jobTitle" is changed to "Head Buyer"
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {"Operations": [{"op": "replace", "value": {"displayName": "Alice Brown", "title": "Head Buyer"}}]}
      """
    And the responses match the snapshot

  # entra-wire.md §1.13 (on demand can disable a user who is still in Entra), §2 (legacy
  # disable: Replace with the string "False", even with the flag)
  Scenario: with the aadOptscim062020 flag an on-demand disable still sends "False"
    Given an Entra ID tenant with the aadOptscim062020 flag
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice" is disabled
    And provisioning on demand runs for "alice"
    Then the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
      """
    And the target has the user "alice" inactive
    And the responses match the snapshot

  # entra-wire.md §1.13 (one group with up to 5 members: its members, then the group and its
  # membership), §1.9 (group create), §1.10 (legacy Add of members)
  Scenario: a group with its members is provisioned on demand
    Given an Entra ID tenant with the aadOptscim062020 flag
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And the user "bob" with:
      | attribute         | value           |
      | userPrincipalName | bob@contoso.com |
    And the group "Sales" with members "alice" and "bob"
    And the group "Sales" is assigned to the app
    When provisioning on demand runs for "Sales"
    Then the IdP sent:
      | method | path         |
      | GET    | /Users       |
      | GET    | /Users       |
      | POST   | /Users       |
      | GET    | /Users       |
      | POST   | /Users       |
      | GET    | /Groups      |
      | POST   | /Groups      |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {
        "Operations": [{
          "op": "Add",
          "path": "members",
          "value": [{"$ref": null, "value": "{id of alice}"}, {"$ref": null, "value": "{id of bob}"}]
        }]
      }
      """
    And the target has the group "Sales" with members "alice", "bob"
    And the responses match the snapshot
