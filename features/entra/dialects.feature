@entra
Feature: The legacy dialect and aadOptscim062020 side by side

  The same story, told once per dialect: the Tenant URL with ?aadOptscim062020 changes the
  shape of each PATCH, not which requests are sent.

  # entra-wire.md §2 ("Disable user", "Re-enable": "False"/"True" strings and PascalCase
  # Replace in legacy, booleans and lowercase replace with the flag), §1.5, §1.6
  Scenario Outline: a user is disabled and re-enabled in the <dialect> dialect
    Given an Entra ID tenant in the <dialect> dialect
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice" is disabled
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "<replace>", "path": "active", "value": <false>}]}
      """
    And the target has the user "alice" inactive
    When "alice" is re-enabled
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {"Operations": [{"op": "<replace>", "path": "active", "value": <true>}]}
      """
    And the target has the user "alice" active
    And the responses match the snapshot

    Examples:
      | dialect          | replace | false   | true   |
      | legacy           | Replace | "False" | "True" |
      | aadOptscim062020 | replace | false   | true   |

  # entra-wire.md §2 ("Replace several attributes": one operation per attribute with a path in
  # legacy; with the flag single-valued attributes merge into one path-less replace with dotted
  # keys), §1.3
  Scenario Outline: several changed attributes in the <dialect> dialect
    Given an Entra ID tenant in the <dialect> dialect
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | givenName         | Alice             |
      | surname           | Smith             |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "givenName" is changed to "Alicia"
    And "alice"'s "surname" is changed to "Jones"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": <operations>}
      """
    And the target has the user "alice" with "name.givenName" equal to "Alicia"
    And the target has the user "alice" with "name.familyName" equal to "Jones"
    And the responses match the snapshot

    Examples:
      | dialect          | operations                                                                                                                                                                                             |
      | legacy           | [{"op": "Replace", "path": "name.givenName", "value": "Alicia"}, {"op": "Replace", "path": "name.familyName", "value": "Jones"}, {"op": "Replace", "path": "name.formatted", "value": "Alicia Jones"}] |
      | aadOptscim062020 | [{"op": "replace", "value": {"name.givenName": "Alicia", "name.familyName": "Jones", "name.formatted": "Alicia Jones"}}]                                                                               |

  # entra-wire.md §2 ("Add a single-valued attribute": Add with a path in both dialects, only
  # the casing differs), §1.3 (Add where the app has no value)
  Scenario Outline: one attribute the app lacks is added in the <dialect> dialect
    Given an Entra ID tenant in the <dialect> dialect
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "jobTitle" is changed to "Buyer"
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {"Operations": [{"op": "<add>", "path": "title", "value": "Buyer"}]}
      """
    And the target has the user "alice" with "title" equal to "Buyer"
    And the responses match the snapshot

    Examples:
      | dialect          | add |
      | legacy           | Add |
      | aadOptscim062020 | add |

  # entra-wire.md §2 ("Remove a group member": Remove with a value array in legacy, a filtered
  # remove path with the flag; "Add a group member": the same shape, only the casing differs),
  # §1.10
  Scenario Outline: a group member is added and another removed in the <dialect> dialect
    Given an Entra ID tenant in the <dialect> dialect
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And the user "bob" with:
      | attribute         | value           |
      | userPrincipalName | bob@contoso.com |
    And the user "carol" with:
      | attribute         | value             |
      | userPrincipalName | carol@contoso.com |
    And "carol" is assigned to the app
    And the group "Sales" with members "alice" and "bob"
    And the group "Sales" is assigned to the app
    And the provisioning cycle runs
    When "carol" is added to the group "Sales"
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {"Operations": [{"op": "<add>", "path": "members", "value": [{"$ref": null, "value": "{id of carol}"}]}]}
      """
    When "bob" is removed from the group "Sales"
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {"Operations": [<remove bob>]}
      """
    And the target has the group "Sales" with members "alice", "carol"
    And the responses match the snapshot

    Examples:
      | dialect          | add | remove bob                                                               |
      | legacy           | Add | {"op": "Remove", "path": "members", "value": [{"value": "{id of bob}"}]} |
      | aadOptscim062020 | add | {"op": "remove", "path": "members[value eq \\"{id of bob}\\"]"}          |

  # entra-wire.md §1.11 (legacy rename: Replace displayName with a path; with the flag a
  # path-less replace, as the validator sends it [Inf]), §2 (op casing)
  Scenario Outline: a group is renamed in the <dialect> dialect
    Given an Entra ID tenant in the <dialect> dialect
    And the group "Sales"
    And the group "Sales" is assigned to the app
    And the provisioning cycle runs
    When the group "Sales" is renamed to "Sales EMEA"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path         |
      | GET    | /Groups/{id} |
      | PATCH  | /Groups/{id} |
    And the last request body includes:
      """
      {"Operations": [<rename>]}
      """
    And the responses match the snapshot

    Examples:
      | dialect          | rename                                                          |
      | legacy           | {"op": "Replace", "path": "displayName", "value": "Sales EMEA"} |
      | aadOptscim062020 | {"op": "replace", "value": {"displayName": "Sales EMEA"}}       |
