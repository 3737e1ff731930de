#include "cli/Cli.h"

#include <iostream>

int main(int argc, char** argv) { return fbtrack::run_cli(argc, argv, std::cout, std::cerr); }
