"""Prints each resource of a SAM template after SAM's own transform: logical id, type, condition ('-' for none).

Used by TransformedResourcesIT: samtranslator is the library the SAM transform and `sam validate` run, and cfn-lint
(which carries it) reads the template's short-form intrinsics. The CodeUri zips become S3 locations, as `sam deploy`
makes them after uploading; no AWS call is made (the Region is given, the managed-policy loader answers nothing).
"""
import json
import os
import sys

from cfnlint.decode import decode_str
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


def main(path):
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(path, encoding="utf-8") as f:
        template, errors = decode_str(f.read())
    if errors:
        sys.exit("cannot read %s: %s" % (path, errors))
    template = json.loads(json.dumps(template, default=str))
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://bucket/" + resource["Properties"]["CodeUri"]
    out = transform(template, {}, NoManagedPolicies())
    for logical_id, resource in sorted(out["Resources"].items()):
        print("%s\t%s\t%s" % (logical_id, resource["Type"], resource.get("Condition", "-")))


if __name__ == "__main__":
    main(sys.argv[1])
