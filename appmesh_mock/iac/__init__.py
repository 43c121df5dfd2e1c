"""Loading a mesh from the files that describe it: CloudFormation templates (and CDK output),
Terraform (`terraform show -json` documents and `.tf` files) and the App Mesh controller's
Kubernetes resources, each translated into the Create* requests it makes."""
