import { stackProperties } from "./stack-properties";

stackProperties("dev");
