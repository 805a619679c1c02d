"""A queue worker that reports what it does the way scripts do: print(), a logging handler on stdout, a
direct write to file descriptor 1, and a print from inside an apply. None of it may reach the JSON an
estimate writes to stdout."""

import logging
import os
import sys

import pulumi
import pulumi_aws as aws

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("chatty")

print("planning the queue worker")
log.info("instance type %s", "t3.micro")
os.write(1, b"raw write to fd 1\n")
sys.stdout.write("{not json\n")

worker = aws.ec2.Instance("worker", instance_type="t3.micro", ami="ami-0123456789abcdef0")
worker.instance_type.apply(lambda t: print(f"worker will run on {t}"))
queue = aws.sqs.Queue("jobs", visibility_timeout_seconds=120)

print("done")
pulumi.export("queue", queue.name)
