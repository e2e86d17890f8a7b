@entra
Feature: Entra provisions an assigned group and keeps its members in line

  Background:
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And the user "bob" with:
      | attribute         | value           |
      | userPrincipalName | bob@contoso.com |
    And the user "carol" with:
      | attribute         | value             |
      | userPrincipalName | carol@contoso.com |
    And the group "Sales" with members "alice" and "bob"
    And the group "Sales" is assigned to the app

  # entra-wire.md §1.9 (match on displayName without members, POST /Groups with Microsoft's
  # group URN, externalId = objectId, no members), §1.10 (then PATCH Add members with
  # "$ref": null and the users' target ids), §1.14 (users first, then references)
  Scenario: an assigned group is created empty, then its members are added
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path         | query                                                    |
      | GET    | /Users       | filter=userName eq "{guid}"                              |
      | GET    | /Users       | filter=userName eq "alice@contoso.com"                   |
      | POST   | /Users       |                                                          |
      | GET    | /Users       | filter=userName eq "bob@contoso.com"                     |
      | POST   | /Users       |                                                          |
      | GET    | /Groups      | excludedAttributes=members&filter=displayName eq "Sales" |
      | POST   | /Groups      |                                                          |
      | PATCH  | /Groups/{id} |                                                          |
    And the last request body includes:
      """
      {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{
          "op": "Add",
          "path": "members",
          "value": [{"$ref": null, "value": "{id of alice}"}, {"$ref": null, "value": "{id of bob}"}]
        }]
      }
      """
    And the target has the group "Sales" with members "alice", "bob"
    And the target has no user "carol"
    And the responses match the snapshot

  # entra-wire.md §1.10 (a user who joins is provisioned through the group, then added by
  # PATCH; Entra never reads the member list back), §1.9 (the group is read without members),
  # §1.14 (the incremental cycle evaluates the changed group's members)
  Scenario: a new member is created, then added to the group
    Given the provisioning cycle runs
    When "carol" is added to the group "Sales"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path         | query                                  |
      | GET    | /Users/{id}  |                                        |
      | GET    | /Users/{id}  |                                        |
      | GET    | /Users       | filter=userName eq "carol@contoso.com" |
      | POST   | /Users       |                                        |
      | GET    | /Groups/{id} | excludedAttributes=members             |
      | PATCH  | /Groups/{id} |                                        |
    And the last request body includes:
      """
      {"Operations": [{"op": "Add", "path": "members", "value": [{"$ref": null, "value": "{id of carol}"}]}]}
      """
    And the target has the group "Sales" with members "alice", "bob", "carol"
    And the responses match the snapshot

  # entra-wire.md §1.10 (order on removal: the user is read and disabled as out of scope,
  # then the group is read and PATCHed; legacy Remove with a value array)
  Scenario: a member who leaves is disabled, then removed from the group
    Given the provisioning cycle runs
    When "bob" is removed from the group "Sales"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path         | query                      |
      | GET    | /Users/{id}  |                            |
      | GET    | /Users/{id}  |                            |
      | PATCH  | /Users/{id}  |                            |
      | GET    | /Groups/{id} | excludedAttributes=members |
      | PATCH  | /Groups/{id} |                            |
    And the last request body includes:
      """
      {"Operations": [{"op": "Remove", "path": "members", "value": [{"value": "{id of bob}"}]}]}
      """
    And the target has the user "bob" inactive
    And the target has the group "Sales" with members "alice"
    And the responses match the snapshot

  # entra-wire.md §1.11 (rename: PATCH Replace displayName with a plain string), §1.9 (read
  # by id without members), §1.14 (the changed group's members are evaluated too)
  Scenario: a renamed group is PATCHed with its new displayName
    Given the provisioning cycle runs
    When the group "Sales" is renamed to "Sales EMEA"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path         | query                      |
      | GET    | /Users/{id}  |                            |
      | GET    | /Users/{id}  |                            |
      | GET    | /Groups/{id} | excludedAttributes=members |
      | PATCH  | /Groups/{id} |                            |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "displayName", "value": "Sales EMEA"}]}
      """
    And the target has the group "Sales" with members "alice", "bob"
    And the responses match the snapshot

  # entra-wire.md §1.12 (a group deleted in Entra → DELETE /Groups/{id}; its members lose the
  # scope it gave them and are disabled first)
  Scenario: a deleted group is DELETEd and its members disabled
    Given the provisioning cycle runs
    When the group "Sales" is deleted
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path         |
      | GET    | /Users/{id}  |
      | PATCH  | /Users/{id}  |
      | GET    | /Users/{id}  |
      | PATCH  | /Users/{id}  |
      | DELETE | /Groups/{id} |
    And the target has no group "Sales"
    And the target has the user "alice" inactive
    And the target has the user "bob" inactive
    And the responses match the snapshot

  # entra-wire.md §1.12 (a group unassigned from the app → its members are disabled one by
  # one, then DELETE /Groups/{id})
  Scenario: an unassigned group is DELETEd after its members are disabled
    Given the provisioning cycle runs
    When the group "Sales" is unassigned from the app
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path         |
      | GET    | /Users/{id}  |
      | PATCH  | /Users/{id}  |
      | GET    | /Users/{id}  |
      | PATCH  | /Users/{id}  |
      | DELETE | /Groups/{id} |
    And the target has no group "Sales"
    And the target has the user "alice" inactive
    And the responses match the snapshot
