"""Checks AWS CLI command lines against the CLI's own command tables and the botocore models it ships.

Reads one command a line on stdin, as a JSON array of its words ("aws", "lambda", ...), and writes one JSON object a
line: the command, the operation it calls ("lambda:GetFunctionConfiguration"; null for the CLI's own commands such as
s3 cp or configure), and its problems: a command or operation the CLI does not have, an option that is not exactly one
of its arguments (argparse would accept an abbreviation), an argument the operation requires and the command leaves
out, a --query field the operation's output does not have. Nothing is sent to AWS.
"""

import json
import sys

import jmespath
from awscli.clidriver import ServiceCommand, ServiceOperation, create_clidriver
from botocore.model import ListShape, MapShape, StructureShape

NO_VALUE = ("store_true", "store_false", "version")


class Problem(Exception):
    pass


def takes_value(arg):
    if getattr(arg, "_action", None) in NO_VALUE:
        return False
    return type(arg).__name__ != "BooleanArgument"


class ListOf:
    """What a projection gives: a list of each element's result."""

    def __init__(self, member):
        self.member = member


def element(shape, what):
    if isinstance(shape, ListOf):
        return shape.member
    if isinstance(shape, ListShape):
        return shape.member
    raise Problem("%s is applied to %s, which is no list" % (what, describe(shape)))


def describe(shape):
    if isinstance(shape, ListOf):
        return "a projection"
    return "%s (%s)" % (shape.name, shape.type_name)


def walk(node, shape):
    """The shape that `node` yields when applied to a value of `shape`; a Problem for a field it does not have."""
    kind = node["type"]
    children = node.get("children", [])
    if kind == "field":
        if isinstance(shape, ListOf):
            return ListOf(walk(node, shape.member))
        if isinstance(shape, MapShape):
            return shape.value
        if not isinstance(shape, StructureShape):
            raise Problem("field %s of %s, which has no fields" % (node["value"], describe(shape)))
        if node["value"] not in shape.members:
            raise Problem(
                "%s has no field %s (it has %s)"
                % (shape.name, node["value"], ", ".join(shape.members))
            )
        return shape.members[node["value"]]
    if kind == "subexpression":
        for child in children:
            shape = walk(child, shape)
        return shape
    if kind == "index_expression":
        return walk(children[1], walk(children[0], shape))
    if kind == "index":
        return element(shape, "[%s]" % node["value"])
    if kind == "projection":
        return ListOf(walk(children[1], element(walk(children[0], shape), "a projection")))
    if kind == "filter_projection":
        member = element(walk(children[0], shape), "a filter")
        walk(children[2], member)
        return ListOf(walk(children[1], member))
    if kind == "flatten":
        return ListOf(element(element(walk(children[0], shape), "[]"), "[]"))
    if kind == "comparator":
        for child in children:
            walk(child, shape)
        return None
    if kind in ("literal", "current", "identity"):
        return shape
    raise Problem("a JMESPath %s, which this check does not follow" % kind)


def check(driver, words):
    result = {"command": " ".join(words), "operation": None, "problems": []}
    problems = result["problems"]
    globals_ = driver._get_argument_table()
    table = driver._get_command_table()
    command = None
    args = dict(globals_)
    query = None
    given = set()
    path = []
    i = 1
    while i < len(words):
        word = words[i]
        if word.startswith("--"):
            name = word[2:].split("=", 1)[0]
            arg = args.get(name)
            if arg is None:
                problems.append("no option --%s in aws %s" % (name, " ".join(path)))
                i += 1
                continue
            given.add(name)
            if takes_value(arg) and "=" not in word:
                i += 1
                if name == "query" and i < len(words):
                    query = words[i]
            i += 1
            continue
        if table is not None:
            if word not in table:
                problems.append("no command %s in aws %s" % (word, " ".join(path)))
                return result
            path.append(word)
            command = table[word]
            args = dict(globals_)
            args.update(command.arg_table)
            if isinstance(command, ServiceOperation):
                table = None
            elif hasattr(command, "subcommand_table") and command.subcommand_table:
                table = command.subcommand_table
            elif hasattr(command, "_get_command_table"):
                table = command._get_command_table()
            else:
                table = None
        i += 1
    if isinstance(command, ServiceCommand):
        problems.append("aws %s needs an operation" % " ".join(path))
    if isinstance(command, ServiceOperation):
        model = command._operation_model
        result["operation"] = "%s:%s" % (model.service_model.signing_name, model.name)
        full = any(w.startswith("--") and w[2:] in command.arg_table for w in words)
        if full:
            for name, arg in command.arg_table.items():
                if getattr(arg, "required", False) and name not in given:
                    problems.append("--%s is required" % name)
        if query is not None:
            if model.output_shape is None:
                problems.append("--query on an operation with no output")
            else:
                try:
                    walk(jmespath.compile(query).parsed, model.output_shape)
                except Problem as e:
                    problems.append("--query %s: %s" % (query, e))
    elif query is not None:
        problems.append("--query on aws %s, which answers no modelled output" % " ".join(path))
    return result


def main():
    driver = create_clidriver()
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(check(driver, json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
