@targets @embedded
Feature: Entra ID and Okta against an Omni-like app

  # Omni's SCIM docs (docs.omni.co administration/authentication/entra: user-attributes, scim):
  # custom user attributes live in urn:omni:params:1.0:UserAttribute, system attributes are
  # read-only, and users created through SCIM get the Organization Member role.

  Background:
    Given the target behaves like omni

  # entra-wire.md §3.3 (vendor namespaces), Omni "user attributes"
  @entra
  Scenario: Entra maps a custom Omni attribute, and the user gets the member role
    Given an Entra ID tenant
    And the app's attribute list includes "urn:omni:params:1.0:UserAttribute:blob_entity" of type String
    And the mapping "department" -> "urn:omni:params:1.0:UserAttribute:blob_entity"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | department        | Retail            |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:blob_entity" equal to "Retail"
    And the target has the user "alice" with "roles[primary eq true].value" equal to "member"
    And the responses match the snapshot

  # Omni "SCIM": system attributes cannot be assigned; Entra logs the 400 and escrows (§1.2)
  @entra
  Scenario: Entra maps to a read-only Omni system attribute and the create is refused
    Given an Entra ID tenant
    And the app's attribute list includes "urn:omni:params:1.0:UserAttribute:omni_user_name" of type String
    And the mapping "displayName" -> "urn:omni:params:1.0:UserAttribute:omni_user_name"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | displayName       | Alice Smith       |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the provisioning log has "Create" "Failure" for "alice" with error "UnprocessableEntity"
    And the target has no user "alice"
    And the responses match the snapshot

  # okta-wire.md §2.2 (an extension namespace becomes a URN object), §2.3 (integer on the wire)
  @okta
  Scenario: Okta pushes an integer Omni attribute from its Profile Editor
    Given an Okta org
    And the app-user attribute "regionId" with external name "region_id" in namespace "urn:omni:params:1.0:UserAttribute" of type Integer
    And the mapping "regionCode" -> "regionId"
    And the user "alice" with:
      | attribute  | value             |
      | login      | alice@example.com |
      | firstName  | Alice             |
      | lastName   | Smith             |
      | email      | alice@example.com |
      | regionCode | 42                |
    When "alice" is assigned to the app
    Then the last request body includes:
      """
      {"urn:omni:params:1.0:UserAttribute": {"region_id": 42}}
      """
    And the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:region_id" equal to "42"
    And the target has the user "alice" with "roles[primary eq true].value" equal to "member"
    And the responses match the snapshot
