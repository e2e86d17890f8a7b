#!/usr/bin/env python3
"""A third-party SCIM server as someone's staging tenant, for .ci/scim2-server-staging.

  staging_tenant.py wait URL   waits until the server answers /ServiceProviderConfig
  staging_tenant.py seed URL   creates users and groups named like the suite's aliases
  staging_tenant.py dump URL   prints every user and group, as the server spells them

The bearer token comes from SCIMSIM_TOKEN, never from the command line.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

USERS = [
    # userName, externalId, displayName: the suite's aliases and ids as a tenant may hold them.
    ("alice@contoso.com", "alice", "Alice Smith"),
    ("alice@example.com", "00uzt05ZEznFJzuSBqMe", "Alice"),
    ("bob@contoso.com", "408d72c5-5d0d-4816-8b06-b63d03fa3e6f", "Bob"),
    ("bob@example.com", "bob", "Sales"),
    # Named like another run's objects: only that run may touch them.
    ("s00000000-1-alice@contoso.com", "s00000000-1-alice", "s00000000-1-Alice"),
]
GROUPS = [("Sales", [0, 1]), ("Engineering", [2]), ("s00000000-1-Sales", [4])]


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", "Bearer " + os.environ["SCIMSIM_TOKEN"])
    if data is not None:
        request.add_header("Content-Type", "application/scim+json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def wait(url):
    for _ in range(100):
        try:
            call("GET", url + "/ServiceProviderConfig")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    sys.exit("the server at %s did not answer" % url)


def seed(url):
    ids = []
    for user_name, external_id, display_name in USERS:
        user = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": user_name,
            "externalId": external_id,
            "displayName": display_name,
            "active": True,
        }
        status, body = call("POST", url + "/Users", user)
        assert status == 201, (status, body)
        ids.append(json.loads(body)["id"])
    for name, members in GROUPS:
        group = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": name,
            "members": [{"value": ids[i]} for i in members],
        }
        status, body = call("POST", url + "/Groups", group)
        assert status == 201, (status, body)
    print("seeded %d users and %d groups" % (len(USERS), len(GROUPS)), file=sys.stderr)


def dump(url):
    for endpoint in ("Users", "Groups"):
        _, listing = call("GET", url + "/" + endpoint + "?count=1000")
        sys.stdout.write(listing.decode() + "\n")
        for resource in json.loads(listing).get("Resources", []):
            _, one = call("GET", url + "/" + endpoint + "/" + resource["id"])
            sys.stdout.write(one.decode() + "\n")


if __name__ == "__main__":
    command, url = sys.argv[1], sys.argv[2].rstrip("/")
    {"wait": wait, "seed": seed, "dump": dump}[command](url)
