"""The Pulumi program of this project: `pulumi up -s STACK` declares the stack spec in
`stacks/Pulumi.STACK.yaml`. `infra plan -s STACK` runs this same program offline."""

from aiinfra.components.stack import run_program

run_program()
